import GRDB

/// Deletes the index rows of removed accounts (no probe can reach them: ids are never reused) once
/// they are a quarter or more of the live rows (checked once a day). One scan of the index, in one
/// transaction, the live accounts' ids gathered once from `watch_refs`. (A replaced domain's rows are
/// deleted when it is replaced, as one range.)
enum WatchCompaction {
    static let minimumGarbage: Int64 = 10_000

    /// The rows deleted, or nil when there was not enough garbage to scan for.
    static func runIfNeeded(_ db: Database) throws -> Int? {
        let garbage = try WatchState.get(db, WatchState.garbageKey) ?? 0
        guard garbage >= minimumGarbage else { return nil }
        let watched = Int64(try WatchAccounts.count(db))
        let domains = Int64(try WatchDomains.current(db).count)
        guard garbage * 4 >= watched * max(1, domains) else { return nil }
        try db.execute(sql: """
            DELETE FROM watch_index WHERE account NOT IN (SELECT account FROM watch_refs)
            """)
        let deleted = db.changesCount
        // The removed accounts' keys leave the filter too (another scan, of what is left).
        try WatchFilterStore.rebuild(db)
        try WatchState.set(db, WatchState.garbageKey, 0)
        try WatchState.bump(db)
        return deleted
    }
}
