import ExchangeProtocol
import Foundation
import GRDB

/// When an entry that matched some of the member's accounts is revoked or expires, the member
/// must lift the measures and restore the subject's reputation: one retraction per matched
/// account, exactly once (the match row is marked in the same transaction).
enum Retractions {
    @discardableResult
    static func retract(origin: String, entryID: String, reason: String, at millis: Int64, day: Day, _ db: Database) throws -> Int {
        // Cached statements: a sync page that revokes thousands of entries runs these once each.
        let open = try db.cachedStatement(sql: "SELECT ref, kind FROM matches WHERE origin = ? AND entry_id = ? AND retracted_at IS NULL")
        let rows = try GRDB.Row.fetchAll(open, arguments: [origin, entryID])
        guard !rows.isEmpty else { return 0 }
        try db.cachedStatement(sql: "UPDATE matches SET retracted_at = ? WHERE origin = ? AND entry_id = ? AND retracted_at IS NULL")
            .execute(arguments: [millis, origin, entryID])
        for row in rows {
            try appendRecord(ref: row["ref"], kind: row["kind"], origin: origin, entryID: entryID, reason: reason, at: millis, db)
        }
        try DailyCounters.add(day: day, ["retractions": rows.count], db)
        return rows.count
    }

    /// The outbox record of one retraction (`source` marks the watch's own, docs/watch.md).
    static func appendRecord(
        ref: String, kind: String, origin: String, entryID: String, reason: String, at millis: Int64, source: String? = nil,
        _ db: Database
    ) throws {
        var body: [String: OutboxValue] = [
            "type": .string("retraction"), "ref": .string(ref), "kind": .string(kind), "origin": .string(origin),
            "entry_id": .string(entryID), "reason": .string(reason), "at": .string(ISO8601.format(millis: millis)),
        ]
        if let source { body["source"] = .string(source) }
        try Outbox.append(type: "retraction", body: body, at: millis, db)
    }

    /// Retracts every open match whose entry has expired by `day` (run on each sync round and screen).
    @discardableResult
    static func retractExpired(asOf day: Day, at millis: Int64, _ db: Database) throws -> Int {
        let expired = try GRDB.Row.fetchAll(db, sql: """
            SELECT DISTINCT m.origin, m.entry_id FROM matches m
            JOIN entries e ON e.origin = m.origin AND e.entry_id = m.entry_id
            WHERE m.retracted_at IS NULL AND e.expires_on IS NOT NULL AND e.expires_on <= ?
            """, arguments: [Int64(day.ordinal)])
        var total = 0
        for row in expired {
            total += try retract(origin: row["origin"], entryID: row["entry_id"], reason: RevocationReason.expired.rawValue,
                                 at: millis, day: day, db)
        }
        return total
    }
}
