import ExchangeProtocol
import GRDB

/// Entries whose `listed_on` day is still to come (`watch_listings`): they match on that day.
enum WatchListings {
    /// Keeps the table in step with changed entries: active entries listed after `day` are noted;
    /// a changed entry that is now in force or revoked is dropped.
    static func note(_ changes: [WatchArrival.Change], day: Day, _ db: Database) throws {
        var upsert: Statement?
        var delete: Statement?
        for change in changes {
            let event = change.event
            if event.status == .active && event.listedOn > day {
                upsert = try upsert ?? db.cachedStatement(sql: """
                    INSERT INTO watch_listings (origin, entry_id, listed_on) VALUES (?, ?, ?)
                    ON CONFLICT (origin, entry_id) DO UPDATE SET listed_on = excluded.listed_on
                    """)
                try upsert!.execute(arguments: [event.origin, event.entryID, Int64(event.listedOn.ordinal)])
            } else if change.replaced {
                delete = try delete ?? db.cachedStatement(sql: "DELETE FROM watch_listings WHERE origin = ? AND entry_id = ?")
                try delete!.execute(arguments: [event.origin, event.entryID])
            }
        }
    }
}
