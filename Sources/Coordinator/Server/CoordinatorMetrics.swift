import Foundation
import Metrics

/// The coordinator's metrics on its internal listener: days left of its own certificate and of the
/// alliance CA's (`exchange_coordinator_certificate_expiry_days{certificate}`), set when `/metrics` is read.
final class CoordinatorMetrics: Sendable {
    static let shared = CoordinatorMetrics()

    private let coordinatorCertificate = Gauge(label: "exchange_coordinator_certificate_expiry_days", dimensions: [("certificate", "coordinator")])
    private let caCertificate = Gauge(label: "exchange_coordinator_certificate_expiry_days", dimensions: [("certificate", "ca")])

    private init() {}

    func refresh(_ coordinator: CoordinatorContext, now: Date = Date()) {
        coordinatorCertificate.record(coordinator.credentials.memberCertificate.notValidAfter.timeIntervalSince(now) / 86_400)
        caCertificate.record(coordinator.credentials.caCertificate.notValidAfter.timeIntervalSince(now) / 86_400)
    }
}
