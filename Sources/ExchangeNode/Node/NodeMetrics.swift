import Metrics
import Foundation
import Prometheus

/// The process's metrics: swift-metrics counters backed by a swift-prometheus registry, exposed at
/// `/metrics` on the internal listener in the Prometheus text format. Labels carry only member ids
/// and fixed codes, never identifiers, tokens or account references.
///
/// `MetricsSystem` is bootstrapped once per process, on first use of ``shared`` (NodeContext
/// touches it before it opens anything that records metrics, such as the audit log).
final class NodeMetrics: Sendable {
    static let shared = NodeMetrics()

    let registry: PrometheusCollectorRegistry

    private init() {
        let registry = PrometheusCollectorRegistry()
        self.registry = registry
        MetricsSystem.bootstrap(PrometheusMetricsFactory(registry: registry))
    }

    /// Adds `value` to the counter `name` with `labels`.
    func add(_ name: String, labels: [String: String] = [:], _ value: Double = 1) {
        Counter(label: name, dimensions: labels.sorted { $0.key < $1.key }).increment(by: Int64(value))
    }

    func screened(_ accounts: Int, matches: Int) {
        add("exchange_node_screened_accounts_total", Double(accounts))
        add("exchange_node_matches_total", Double(matches))
    }

    /// One sync round with `peer`: its outcome and the entries it applied.
    func synced(peer: String, failed: Bool, applied: Int) {
        add("exchange_node_sync_rounds_total", labels: ["peer": peer, "outcome": failed ? "error" : "ok"])
        if applied > 0 { add("exchange_node_sync_entries_applied_total", labels: ["origin": peer], Double(applied)) }
    }

    /// The Prometheus text exposition of every metric of the process.
    func exposition() -> String { registry.emitToString() }
}
