import AlliancePKI
import ExchangeRuntime
import Hummingbird
import Logging
import ServiceLifecycle

/// Runs a sync round every interval (with jitter below it, and exponential backoff after failures).
/// After each round it refreshes the real-time screening index if any process changed the entries.
package struct SyncLoop: Service {
    let node: NodeRuntime
    let screening: ScreeningService?

    package init(node: NodeRuntime, screening: ScreeningService?) {
        self.node = node
        self.screening = screening
    }

    package func run() async throws {
        let client = node.makePeerClient()
        let base = max(0.5, node.context.config.syncIntervalSeconds)
        var failures = 0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let results = await node.makeSyncRound(client: client).run()
            // Rebuild the real-time index now rather than on the next request, if anything changed.
            do {
                _ = try screening?.freshEngine()
            } catch {
                node.context.logger.error("cannot reload the screening index", metadata: ["error": "\(error)"])
            }
            failures = results.contains { $0.error != nil } ? min(failures + 1, 6) : 0
            // Jitter only shortens the wait: a change at a peer is applied (and matched against the
            // watched base) at most one interval plus one round after it was made.
            let delay = min(base * Double(1 << failures), 600) * Double.random(in: 0.8...1.0)
            try? await Task.sleep(for: .milliseconds(Int(delay * 1000)))
        }
        await client.shutdown()
    }
}
