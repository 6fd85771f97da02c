import Metrics
import Prometheus

/// The process's metrics registry: swift-metrics backed by swift-prometheus, exposed by the node's
/// internal listener at `/metrics` in the Prometheus text format.
///
/// The executable calls ``bootstrap()`` once, before any command runs, so that every metric object a
/// library creates (the node's, the audit log's) lands in ``registry``. A library never bootstraps.
package enum ProcessMetrics {
    package static let registry = PrometheusCollectorRegistry()

    /// Points swift-metrics at ``registry``. Once per process (swift-metrics refuses a second call).
    package static func bootstrap() {
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }

    /// The Prometheus text exposition of every metric of the process.
    package static func exposition() -> String { registry.emitToString() }
}
