import ExchangeProtocol
import GRDB

/// The watch's own retractions (an amended entry that no longer names the account, a ref
/// registered again with another identifier): one match at a time, in the outbox record shape of
/// `Retractions` with `"source":"watch"`, the match row marked in the same transaction.
enum WatchRetractions {
    /// Retracts one open match; returns 1 if it was open, 0 otherwise.
    @discardableResult
    static func retract(
        ref: String, kind: String, origin: String, entryID: String, reason: String, at millis: Int64, day: Day, _ db: Database
    ) throws -> Int {
        try db.execute(sql: """
            UPDATE matches SET retracted_at = ? WHERE ref = ? AND kind = ? AND origin = ? AND entry_id = ? AND retracted_at IS NULL
            """, arguments: [millis, ref, kind, origin, entryID])
        guard db.changesCount > 0 else { return 0 }
        try Retractions.appendRecord(ref: ref, kind: kind, origin: origin, entryID: entryID, reason: reason, at: millis,
                                     source: WatchArrival.source, db)
        try DailyCounters.add(day: day, ["retractions": 1], db)
        return 1
    }

    /// Retracts every open match of a ref.
    static func retractAll(ref: String, reason: String, at millis: Int64, day: Day, _ db: Database) throws -> Int {
        let open = try GRDB.Row.fetchAll(db, sql: """
            SELECT kind, origin, entry_id FROM matches WHERE ref = ? AND retracted_at IS NULL
            """, arguments: [ref])
        var total = 0
        for row in open {
            total += try retract(ref: ref, kind: row[0], origin: row[1], entryID: row[2], reason: reason, at: millis, day: day, db)
        }
        return total
    }
}
