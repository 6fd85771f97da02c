import ExchangeCrypto
import ExchangeProtocol
import Foundation
import GRDB

/// Which key epoch every origin is on, which keyed-hash epochs this node holds, retired or awaits, and
/// the members the coordinator expelled: the part of `status` and `keys show` that follows membership
/// changes (docs/membership.md, 1.9).
package struct EpochStatus: Codable, Sendable {
    package struct OriginEpoch: Codable, Sendable, Equatable {
        package let origin: String
        package let scheme: String
        package let epoch: UInt32
        package let entries: Int
        /// The node cannot screen these entries (keyed-hash: epoch retired, or its key missing).
        package let stale: Bool
    }

    package struct Expelled: Codable, Sendable, Equatable {
        package let member: String
        package let removedAt: String
        package let entries: String
        package let withdrawn: Int
        package let retractions: Int
    }

    /// The epoch this node publishes under (keyed-hash).
    package let ownEpoch: UInt32?
    /// The coordinator's current epoch, as last fetched.
    package let allianceEpoch: UInt32?
    package let held: [UInt32]
    package let retired: [UInt32]
    package let changeoverDeadline: String?
    /// A retirement's write-ahead log is not truncated yet (a reader held it).
    package let walPending: Bool
    package let origins: [OriginEpoch]
    package let expelled: [Expelled]

    package static func collect(_ context: NodeContext) throws(NodeError) -> EpochStatus {
        let keyed = context.config.scheme == .keyedHash
        let held = keyed ? (try TokenKeyFiles.loadHeld(context.home)).keys.sorted() : []
        let membership = try? MembershipFile.load(context.home)
        let (rows, epochs, expelled, walPending) = try context.store.read { db in
            let rows = try GRDB.Row.fetchAll(db, sql: """
                SELECT origin, scheme, epoch, NOT \(TokenEpochRetirement.holdsTokens) AS stripped, COUNT(*) FROM entries
                WHERE status = 1 GROUP BY origin, scheme, epoch, stripped ORDER BY origin, scheme, epoch
                """).map { row in
                (origin: row[0] as String, scheme: row[1] as Int64, epoch: UInt32(truncatingIfNeeded: row[2] as Int64),
                 stripped: row[3] as Bool, entries: row[4] as Int)
            }
            return (rows, try TokenEpochs.all(db), try ExpelledMembers.all(db),
                    try NodeState.get(db, TokenKeyMaintenance.walPendingKey) == 1)
        }
        let own = keyed ? context.keys.tokenKey.epoch : nil
        let origins = rows.map { row in
            let keyedRow = row.scheme == Int64(TokenSchemeID.keyedHash.code)
            return OriginEpoch(origin: row.origin, scheme: keyedRow ? TokenSchemeID.keyedHash.rawValue : TokenSchemeID.ecdhX25519.rawValue,
                               epoch: row.epoch, entries: row.entries,
                               stale: keyedRow && row.origin != context.member && (row.stripped || !held.contains(row.epoch)))
        }
        let pending = epochs.filter { $0.retiredAt == nil && $0.epoch < (own ?? 0) }.compactMap(\.changeoverDeadline).min()
        return EpochStatus(
            ownEpoch: own, allianceEpoch: membership?.currentTokenKeyEpoch, held: held,
            retired: epochs.filter { $0.retiredAt != nil }.map(\.epoch),
            changeoverDeadline: (membership?.changeover?.deadline) ?? pending.map(ISO8601.format(millis:)),
            walPending: walPending, origins: origins,
            expelled: expelled.map { Expelled(member: $0.member, removedAt: $0.removedAt, entries: $0.entries.rawValue,
                                              withdrawn: $0.withdrawn, retractions: $0.retractions) })
    }

    /// The text lines `status` and `keys show` print.
    package var lines: [String] {
        var lines: [String] = []
        if let ownEpoch {
            var line = "token keys        own epoch \(ownEpoch)"
            if let allianceEpoch { line += "; alliance epoch \(allianceEpoch)" }
            line += "; held " + (held.isEmpty ? "none" : held.map(String.init).joined(separator: ", "))
            if !retired.isEmpty { line += "; retired " + retired.map(String.init).joined(separator: ", ") }
            if let changeoverDeadline { line += "; changeover until \(changeoverDeadline)" }
            lines.append(line)
            if walPending { lines.append("                  write-ahead log not yet truncated after a retirement (retried every round)") }
        }
        for (index, origin) in origins.enumerated() {
            let label = index == 0 ? "origin epochs     " : "                  "
            var line = label + origin.origin.padding(toLength: 14, withPad: " ", startingAt: 0)
                + "\(origin.scheme) epoch \(origin.epoch)".padding(toLength: 24, withPad: " ", startingAt: 0) + "\(origin.entries) entries"
            if origin.stale { line += "   STALE (this node cannot screen them)" }
            lines.append(line)
        }
        for (index, member) in expelled.enumerated() {
            let label = index == 0 ? "expelled          " : "                  "
            let what = member.entries == ExpelledEntries.withdraw.rawValue
                ? "entries withdrawn (\(member.withdrawn) entries, \(member.retractions) retractions)" : "entries kept until they expire"
            lines.append(label + "\(member.member)   removed \(member.removedAt), \(what)")
        }
        return lines
    }
}
