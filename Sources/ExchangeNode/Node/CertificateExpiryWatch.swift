import Foundation
import Logging
import ServiceLifecycle

/// Part of `serve`: once a day (and at start) logs a warning for each certificate the node relies on
/// — its own, the CA's, each peer's last seen one — that expires within
/// ``CertificateExpiry/warningDays`` days, naming it and the days left.
package struct CertificateExpiryWatch: Service {
    let node: NodeRuntime
    var interval: Duration = .seconds(86_400)

    package init(node: NodeRuntime, interval: Duration = .seconds(86_400)) {
        self.node = node
        self.interval = interval
    }

    package func run() async throws {
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            check()
            try? await cancelWhenGracefulShutdown { [interval] in try await Task.sleep(for: interval) }
        }
    }

    /// Logs one warning per certificate close to (or past) its end; returns them.
    @discardableResult
    package func check(now: Date = Date()) -> [CertificateExpiry] {
        let items: [CertificateExpiry]
        do {
            items = try CertificateExpiry.collect(node.context, now: now)
        } catch {
            node.context.logger.warning("cannot read the certificates' validity", metadata: ["error": "\(error)"])
            return []
        }
        let expiring = items.filter(\.needsWarning)
        for item in expiring {
            node.context.logger.warning(item.daysLeft < 0 ? "certificate expired" : "certificate expires soon", metadata: [
                "certificate": "\(item.certificate.rawValue)", "certificate_member": "\(item.member)",
                "not_after": "\(item.notAfter)", "days_left": "\(item.daysLeft)",
            ])
        }
        return expiring
    }
}
