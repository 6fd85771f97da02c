import Foundation
import Synchronization

/// Process-wide counters exposed at `/metrics` in the Prometheus text format. Labels carry only
/// member ids and fixed codes, never identifiers or tokens.
final class NodeMetrics: Sendable {
    static let shared = NodeMetrics()

    private let values = Mutex<[String: Double]>([:])

    func add(_ name: String, labels: [String: String] = [:], _ value: Double = 1) {
        let key = labels.isEmpty ? name : name + "{" + labels.sorted { $0.key < $1.key }.map { "\($0.key)=\"\($0.value)\"" }.joined(separator: ",") + "}"
        values.withLock { $0[key, default: 0] += value }
    }

    func screened(_ accounts: Int, matches: Int) {
        add("exchange_node_screened_accounts_total", Double(accounts))
        add("exchange_node_matches_total", Double(matches))
    }

    func exposition() -> String {
        values.withLock { values in
            values.sorted { $0.key < $1.key }.map { "\($0.key) \(Int($0.value))" }.joined(separator: "\n") + "\n"
        }
    }
}
