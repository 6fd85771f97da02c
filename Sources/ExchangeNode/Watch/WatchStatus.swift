import ExchangeProtocol
import ExchangeRuntime
import Foundation
import GRDB
import Hummingbird

/// `watch status` and `GET /v1/watch`: how many accounts are watched and, per origin, how much of
/// the base its current key epoch covers (the pairwise scheme's peers cover it through masking,
/// within their budgets; under the keyed-hash scheme every origin is covered locally).
package struct WatchStatus: Codable, Sendable, Equatable, ResponseEncodable {
    package struct Coverage: Codable, Sendable, Equatable {
        let member: String
        let keyEpoch: UInt32?
        let covered: Int
        let pending: Int
        /// When this key epoch's coverage started (ISO 8601), nil before the first answer.
        let coveredSince: String?
        let updatedAt: String?
        /// A key epoch replaced an earlier one and some accounts are not covered again yet: the
        /// origin is a stale origin for them.
        let stale: Bool
        /// The peer refused masking for budget today; coverage continues tomorrow.
        let overBudgetToday: Bool

        enum CodingKeys: String, CodingKey {
            case member, covered, pending, stale
            case keyEpoch = "key_epoch"
            case coveredSince = "covered_since"
            case updatedAt = "updated_at"
            case overBudgetToday = "over_budget_today"
        }
    }

    let scheme: String
    let watched: Int
    /// The own domain: the alliance key's (keyed-hash) or this member's (pairwise).
    let own: Coverage?
    let peers: [Coverage]

    static func collect(_ context: NodeContext) throws(NodeError) -> WatchStatus {
        let keys = WatchKeys(context: context)
        let peers = context.peers.nodes.map(\.member).filter { $0 != context.member }
        let day = NodeClock.today()
        return try context.store.read { db in
            let domains = try WatchDomains.current(db)
            let counts = try WatchStatus.countAccounts(db, through: Set(domains.values.map(\.coveredThrough)))
            let watched = counts.all
            func coverage(_ member: String, _ domain: WatchDomain?) throws -> Coverage {
                let covered = domain.map { counts.through[$0.coveredThrough] ?? 0 } ?? 0
                return Coverage(member: member, keyEpoch: domain?.epoch, covered: covered, pending: watched - covered,
                                coveredSince: domain.map { ISO8601.format(millis: $0.since) },
                                updatedAt: domain.map { ISO8601.format(millis: $0.updatedAt) },
                                stale: (domain?.renewal ?? false) && covered < watched,
                                overBudgetToday: try WatchState.isBlocked(member, on: day, db))
            }
            let ownDomain = domains[keys.ownOrigin]
            let own = try coverage(keys.scheme == .keyedHash ? "alliance" : context.member, ownDomain)
            let perPeer = try peers.map { peer in
                // Keyed hash: every origin's entries carry the alliance tokens, covered by the one domain.
                let shared = try coverage(peer, keys.scheme == .keyedHash ? ownDomain : domains[peer])
                return keys.scheme == .keyedHash
                    ? Coverage(member: peer, keyEpoch: shared.keyEpoch, covered: shared.covered, pending: shared.pending,
                               coveredSince: shared.coveredSince, updatedAt: shared.updatedAt, stale: shared.stale, overBudgetToday: false)
                    : shared
            }
            return WatchStatus(scheme: context.config.scheme.rawValue, watched: watched, own: own, peers: perPeer)
        }
    }

    /// How many accounts are watched, and how many have an id at most each of `watermarks`: one pass
    /// over `watch_refs`, whose account ids are not indexed (an index would be a second B-tree written per
    /// registered account, which v12 removed).
    static func countAccounts(_ db: Database, through watermarks: Set<Int64>) throws -> (all: Int, through: [Int64: Int]) {
        let sorted = watermarks.sorted()
        var through = Dictionary(uniqueKeysWithValues: sorted.map { ($0, 0) })
        guard !sorted.isEmpty else { return (try WatchAccounts.count(db), through) }
        // Per watermark, the accounts above the one below it and up to it; then running sums.
        var bands = Array(repeating: 0, count: sorted.count + 1)
        let ids = try RawStatement(db, "SELECT account FROM watch_refs")
        defer { ids.reset() }
        while try ids.step() {
            let id = ids.int64(0)
            var low = 0, high = sorted.count
            while low < high {
                let middle = (low + high) / 2
                if sorted[middle] < id { low = middle + 1 } else { high = middle }
            }
            bands[low] += 1
        }
        var running = 0
        for (position, watermark) in sorted.enumerated() {
            running += bands[position]
            through[watermark] = running
        }
        return (running + bands[sorted.count], through)
    }

    package var text: String {
        var lines = ["watched       \(watched) account\(watched == 1 ? "" : "s") (\(scheme))"]
        func line(_ label: String, _ coverage: Coverage) -> String {
            var text = label.padding(toLength: 14, withPad: " ", startingAt: 0)
                + coverage.member.padding(toLength: 16, withPad: " ", startingAt: 0)
                + "key epoch \(coverage.keyEpoch.map(String.init) ?? "-")  covered \(coverage.covered)  pending \(coverage.pending)"
            if let since = coverage.coveredSince { text += "  since \(since)" }
            if coverage.stale { text += "  STALE (key rotated; re-covering)" }
            if coverage.overBudgetToday { text += "  over budget today (continues tomorrow)" }
            return text
        }
        if let own { lines.append(line("own", own)) }
        for peer in peers { lines.append(line("peer", peer)) }
        return lines.joined(separator: "\n")
    }
}
