import AllianceHTTP
import AlliancePKI
import ExchangeRuntime
import Hummingbird
import Logging
import ServiceLifecycle

/// Re-reads the revocation list every `interval` seconds, so a certificate the CA revokes is
/// refused by the coordinator's listener without a restart.
package struct RevocationRefreshLoop: Service {
    let coordinator: CoordinatorContext
    var interval: Double = 15

    package init(coordinator: CoordinatorContext, interval: Double = 15) {
        self.coordinator = coordinator
        self.interval = interval
    }

    package func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(Int(interval * 1000))) }
            guard !Task.isCancelled && !Task.isShuttingDownGracefully else { break }
            do {
                try coordinator.refreshRevocations()
            } catch {
                coordinator.logger.error("cannot refresh the revocation list", metadata: ["error": "\(error)"])
            }
        }
    }
}
