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
    let webhooks: [WebhookStatus]
    /// Key epochs of every origin, held and retired token-key epochs, expelled members.
    package let epochs: EpochStatus
    /// Days left of the node's certificate, the CA's and each peer's last seen one.
    package let certificates: [CertificateExpiry]
    /// The feed recovery after a restore (pending or done), and own entries without sealed identifiers.
    package let feedRecovery: FeedRecoveryState.Snapshot

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
        let peerNodes = context.peers.nodes.map(\.member).filter { $0 != context.member }
        let recovery = try context.store.read { db in try FeedRecoveryState.snapshot(db, member: context.member, peers: peerNodes) }
        return NodeStatus(
            member: context.member, scheme: context.config.scheme.rawValue,
            tokenKeyEpoch: context.keys.tokenKey.epoch, tokenKeyFingerprint: context.keys.tokenKey.fingerprint,
            nodeKeyFingerprint: context.keys.signingKeyFingerprint, storeBytes: context.store.sizeOnDisk,
            entries: entries, tokens: tokens, counts: counts, cursors: cursors,
            peers: context.peers.peers.keys.sorted(),
            webhooks: try WebhookStatus.collect(home: context.home, store: context.store),
            epochs: try EpochStatus.collect(context),
            certificates: try CertificateExpiry.collect(context), feedRecovery: recovery
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
        for webhook in webhooks { lines.append("webhook           " + webhook.line) }
        lines += epochs.lines
        for certificate in certificates { lines.append("certificate       " + certificate.text) }
        if feedRecovery.pending {
            lines.append("feed recovery     PENDING: restored from a backup at own #\(feedRecovery.fromSeq ?? 0), head now #\(feedRecovery.head); "
                         + "nothing is published until every peer answered; waiting for \(feedRecovery.waitingFor.joined(separator: ", "))")
        } else if let from = feedRecovery.fromSeq {
            lines.append("feed recovery     done: restored at own #\(from), recovered up to #\(feedRecovery.head)")
        }
        for answer in feedRecovery.peers {
            lines.append("  from \(answer.member): \(answer.events) events, held through #\(answer.heldThrough)"
                         + (answer.answeredAt == nil ? " (incomplete)" : ""))
        }
        if feedRecovery.ownEntriesWithoutSealedIdentifiers > 0 {
            lines.append("own entries without sealed identifiers: \(feedRecovery.ownEntriesWithoutSealedIdentifiers) "
                         + "(recovered or imported without them: re-import them before a key rotation)")
        }
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
