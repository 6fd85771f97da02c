import Metrics
import Synchronization

/// The node's metrics, as swift-metrics objects created once and kept: the executable bootstraps the
/// metrics system (``ExchangeRuntime/ProcessMetrics``) before anything creates them, and the internal
/// listener exposes them at `/metrics`. Labels carry only member ids and fixed codes, never
/// identifiers, tokens or account references.
package final class NodeMetrics: Sendable {
    package static let shared = NodeMetrics()

    private let screenedAccounts = Counter(label: "exchange_node_screened_accounts_total")
    private let matches = Counter(label: "exchange_node_matches_total")
    /// Counters with a peer label, created on a peer's first event and kept.
    private let labelled = Mutex<[LabelledCounter: Counter]>([:])
    /// Gauges set when `/metrics` is read (certificate expiry, peer sync age), created once per label set.
    private let gauges = Mutex<[LabelledCounter: Gauge]>([:])
    private let recoveryPending = Gauge(label: "exchange_node_feed_recovery_pending")

    private struct LabelledCounter: Hashable {
        let name: String
        let labels: [String: String]
    }

    private init() {}

    /// One screening batch: accounts screened, matches found.
    package func screened(_ accounts: Int, matches found: Int) {
        screenedAccounts.increment(by: Int64(accounts))
        matches.increment(by: Int64(found))
    }

    /// One sync round with `peer`: its outcome and the entries it applied.
    package func synced(peer: String, failed: Bool, applied: Int) {
        counter("exchange_node_sync_rounds_total", ["peer": peer, "outcome": failed ? "error" : "ok"]).increment()
        if applied > 0 { counter("exchange_node_sync_entries_applied_total", ["origin": peer]).increment(by: Int64(applied)) }
    }

    /// Values masked for `peer` (pairwise scheme), or refused because it is over its daily budget.
    package func masked(peer: String, values: Int, refused: Bool) {
        counter(refused ? "exchange_node_masking_refused_total" : "exchange_node_masked_values_total", ["peer": peer])
            .increment(by: Int64(values))
    }

    /// A screening that could not reach `peer` for masking, or found it answering under a newer key epoch.
    package func screeningOrigin(peer: String, unreachable: Bool) {
        counter(unreachable ? "exchange_node_screening_unreachable_origin_total" : "exchange_node_screening_stale_origin_total",
                ["peer": peer]).increment()
    }

    /// One membership refresh from the coordinator (the start of a `serve` round), and how it went.
    package func membershipRefreshed(failed: Bool) {
        counter("exchange_node_membership_refresh_total", ["outcome": failed ? "error" : "ok"]).increment()
    }

    /// The state gauges, as of now: days left of each certificate, each peer's sync age and failures in a
    /// row, whether the node is recovering its feed. Called by `/metrics` before it renders.
    package func refresh(_ node: NodeRuntime) {
        if let certificates = try? CertificateExpiry.collect(node.context) {
            for item in certificates {
                gauge("exchange_node_certificate_expiry_days", ["certificate": item.certificate.rawValue, "member": item.member])
                    .record(item.fractionalDaysLeft)
            }
        }
        if node.syncsOnInterval {
            for peer in node.context.peers.nodes where peer.member != node.context.member {
                gauge("exchange_node_peer_sync_age_seconds", ["peer": peer.member]).record(node.syncTracker.syncAge(of: peer.member))
                gauge("exchange_node_peer_sync_failures", ["peer": peer.member]).record(Double(node.syncTracker.state(of: peer.member).failures))
            }
        }
        if let pending = try? FeedRecoveryState.isPending(node.context.store) { recoveryPending.record(pending ? 1 : 0) }
    }

    private func gauge(_ name: String, _ labels: [String: String]) -> Gauge {
        gauges.withLock { gauges in
            let key = LabelledCounter(name: name, labels: labels)
            if let existing = gauges[key] { return existing }
            let created = Gauge(label: name, dimensions: labels.sorted { $0.key < $1.key })
            gauges[key] = created
            return created
        }
    }

    /// Accounts a watch registration added (new or replaced).
    package func watchRegistered(_ accounts: Int) {
        counter("exchange_node_watch_registered_total", [:]).increment(by: Int64(accounts))
    }

    /// Watched accounts `peer` covered (masked for us) in a coverage step.
    package func watchCovered(peer: String, accounts: Int) {
        counter("exchange_node_watch_covered_total", ["peer": peer]).increment(by: Int64(accounts))
    }

    private func counter(_ name: String, _ labels: [String: String]) -> Counter {
        labelled.withLock { counters in
            let key = LabelledCounter(name: name, labels: labels)
            if let existing = counters[key] { return existing }
            let created = Counter(label: name, dimensions: labels.sorted { $0.key < $1.key })
            counters[key] = created
            return created
        }
    }
}
