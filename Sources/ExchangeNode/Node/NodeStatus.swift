import ExchangeProtocol
import Foundation
import GRDB

/// A snapshot of a node for `status` (and the demo).
package struct NodeStatus: Codable {
    package struct Count: Codable {
        package let origin: String
        let list: String
        let category: String
        package let status: String
        package let entries: Int
    }

    let member: String
    let scheme: String
    let tokenKeyEpoch: UInt32
    let tokenKeyFingerprint: String
    let nodeKeyFingerprint: String
    package let storeBytes: Int
    package let entries: Int
    let tokens: Int
    package let counts: [Count]
    let cursors: [String: Int64]
    let peers: [String]

    package static func collect(_ context: NodeContext) throws(NodeError) -> NodeStatus {
        let (counts, entries, tokens, cursors) = try context.store.read { db in
            let rows = try GRDB.Row.fetchAll(db, sql: """
                SELECT origin, list, category, status, COUNT(*) AS n FROM entries
                GROUP BY origin, list, category, status ORDER BY origin, list, category, status
                """)
            let counts = rows.map { row in
                Count(origin: row["origin"],
                      list: ListKind(code: UInt8(row["list"] as Int64))?.rawValue ?? "?",
                      category: Category(code: UInt8(row["category"] as Int64))?.rawValue ?? "?",
                      status: EntryStatus(code: UInt8(row["status"] as Int64))?.rawValue ?? "?",
                      entries: row["n"])
            }
            let entries = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM entries") ?? 0
            let tokens = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM entry_tokens") ?? 0
            var cursors = [String: Int64]()
            for row in try GRDB.Row.fetchAll(db, sql: "SELECT origin, through_seq FROM cursors") {
                cursors[row["origin"]] = row["through_seq"]
            }
            return (counts, entries, tokens, cursors)
        }
        return NodeStatus(
            member: context.member, scheme: context.config.scheme.rawValue,
            tokenKeyEpoch: context.keys.tokenKey.epoch, tokenKeyFingerprint: context.keys.tokenKey.fingerprint,
            nodeKeyFingerprint: context.keys.signingKeyFingerprint, storeBytes: context.store.sizeOnDisk,
            entries: entries, tokens: tokens, counts: counts, cursors: cursors,
            peers: context.peers.peers.keys.sorted()
        )
    }

    package var text: String {
        var lines = [
            "member            \(member)",
            "token scheme      \(scheme), key epoch \(tokenKeyEpoch) (fingerprint \(tokenKeyFingerprint))",
            "node key          fingerprint \(nodeKeyFingerprint)",
            "store             \(storeBytes) bytes, \(entries) entries, \(tokens) tokens",
            "peers             \(peers.isEmpty ? "(none)" : peers.joined(separator: ", "))",
        ]
        for (origin, seq) in cursors.sorted(by: { $0.key < $1.key }) { lines.append("cursor            \(origin) through #\(seq)") }
        if !counts.isEmpty {
            lines.append("")
            lines.append("origin".padding(toLength: 14, withPad: " ", startingAt: 0) + "list   " + "category".padding(toLength: 24, withPad: " ", startingAt: 0) + "status   entries")
            for count in counts {
                lines.append(count.origin.padding(toLength: 14, withPad: " ", startingAt: 0)
                             + count.list.padding(toLength: 7, withPad: " ", startingAt: 0)
                             + count.category.padding(toLength: 24, withPad: " ", startingAt: 0)
                             + count.status.padding(toLength: 9, withPad: " ", startingAt: 0) + String(count.entries))
            }
        }
        return lines.joined(separator: "\n")
    }
}
