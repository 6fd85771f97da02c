import ExchangeProtocol
import Foundation
import GRDB

/// The members the coordinator expelled, as this node applied them (`expelled_members`), and the
/// application itself (docs/membership.md, 2.2): one transaction per newly expelled member that records
/// it and, under the `withdraw` policy, retracts every open match against its entries (one retraction
/// record each, reason `member-expelled`) and deletes its entries, tokens, batches, cursor and certificate.
package enum ExpelledMembers {
    package struct Row: Sendable, Equatable {
        package let member: String
        package let removedAt: String
        package let entries: ExpelledEntries
        package let appliedAt: Int64
        package let withdrawn: Int
        package let retractions: Int
    }

    /// The reason retraction records carry when an expelled member's entries are withdrawn.
    static let retractionReason = "member-expelled"

    static func all(_ db: Database) throws -> [Row] {
        try GRDB.Row.fetchAll(db, sql: """
            SELECT member, removed_at, entries, applied_at, withdrawn, retractions FROM expelled_members ORDER BY member
            """).map { row in
            Row(member: row[0], removedAt: row[1], entries: ExpelledEntries(rawValue: row[2]) ?? .keep, appliedAt: row[3],
                withdrawn: row[4], retractions: row[5])
        }
    }

    static func members(_ db: Database) throws -> Set<String> {
        Set(try String.fetchAll(db, sql: "SELECT member FROM expelled_members"))
    }

    /// Records `expulsion` and applies its policy, inside the caller's transaction; nil when it was
    /// applied before (nothing is done twice).
    static func apply(_ expulsion: AllianceMembership.Expelled, at millis: Int64, day: Day, _ db: Database) throws -> Row? {
        let known = try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM expelled_members WHERE member = ?)",
                                      arguments: [expulsion.member]) ?? false
        guard !known else { return nil }
        var withdrawn = 0
        var retractions = 0
        if expulsion.entries == .withdraw {
            let origin = expulsion.member
            let matched = try String.fetchAll(db, sql: """
                SELECT DISTINCT entry_id FROM matches WHERE origin = ? AND retracted_at IS NULL ORDER BY entry_id
                """, arguments: [origin])
            for entryID in matched {
                retractions += try Retractions.retract(origin: origin, entryID: entryID, reason: retractionReason,
                                                       at: millis, day: day, db)
            }
            withdrawn = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM entries WHERE origin = ? AND status = 1",
                                         arguments: [origin]) ?? 0
            try deleteOrigin(origin, db)
        }
        try db.execute(sql: """
            INSERT INTO expelled_members (member, removed_at, entries, applied_at, withdrawn, retractions)
            VALUES (?, ?, ?, ?, ?, ?)
            """, arguments: [expulsion.member, expulsion.removedAt, expulsion.entries.rawValue, millis, withdrawn, retractions])
        return Row(member: expulsion.member, removedAt: expulsion.removedAt, entries: expulsion.entries, appliedAt: millis,
                   withdrawn: withdrawn, retractions: retractions)
    }

    /// Forgets a member the coordinator no longer lists as expelled (re-admitted): its peer file counts again.
    static func readmit(_ member: String, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM expelled_members WHERE member = ?", arguments: [member])
    }

    /// Deletes everything this node holds of `origin`'s feed: tokens (found from each entry's event or
    /// index tokens, the table has no index by entry), entries, batches, cursor and certificate.
    static func deleteOrigin(_ origin: String, _ db: Database) throws {
        let deleteToken = try db.cachedStatement(sql: "DELETE FROM entry_tokens WHERE token = ? AND entry = ?")
        let rows = try GRDB.Row.fetchAll(db, sql: "SELECT id, event, index_tokens FROM entries WHERE origin = ?", arguments: [origin])
        for row in rows {
            let rowID: Int64 = row[0]
            let tokens: [[UInt8]]
            if let local = row[2] as Data? {
                let bytes = [UInt8](local)
                tokens = stride(from: 0, to: bytes.count - bytes.count % 32, by: 32).map { Array(bytes[$0..<$0 + 32]) }
            } else {
                tokens = try EntryEvent(canonical: [UInt8](row[1] as Data)).tokens.map(\.bytes)
            }
            for token in tokens { try deleteToken.execute(arguments: [Data(token), rowID]) }
        }
        try db.execute(sql: "DELETE FROM entries WHERE origin = ?", arguments: [origin])
        try DigestLedger.forget(origin: origin, db)
        try db.execute(sql: "DELETE FROM batches WHERE origin = ?", arguments: [origin])
        try db.execute(sql: "DELETE FROM cursors WHERE origin = ?", arguments: [origin])
        try db.execute(sql: "DELETE FROM origin_certificates WHERE origin = ?", arguments: [origin])
        try EntriesVersion.bump(db)
    }
}
