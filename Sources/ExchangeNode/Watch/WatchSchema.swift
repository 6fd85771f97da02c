import ExchangeProtocol
import ExchangeRuntime
import GRDB

/// Migration `v4-watch`: the watched base (docs/watch.md).
///
/// - `watched`: one row per registered account until v12 (from v12, `watch_refs` and the boxes); the
///   identifier only sealed. Ids are AUTOINCREMENT
///   (never reused), so a domain's progress is one watermark (`covered_through`).
/// - `watch_domains`: one way of deriving lookup values (an origin's key epoch); an origin's current
///   domain is its highest id; older ones stay (a renewed domain's pending accounts are reported
///   stale) but their index rows are deleted when they are replaced.
/// - `watch_index`: `(domain, fingerprint, account)` → `tail`, probed with the tokens of changed entries
///   in the one domain their origin and key epoch name; each domain's rows are contiguous (written in
///   order, pages full) and a replaced domain is deleted as one range.
/// - `watch_listings`: entries whose `listed_on` day is still to come, matched when it comes.
/// - `watch_seals` (v8): the boxes watched identifiers are sealed in, as many as fill a page.
/// - v11 drops `watched.registered_at` (never read).
/// - v12: `watch_refs` (ref → account id) and the box's slot as the account (`WatchLayout`); `watched`
///   keeps the accounts registered before, and gets no new row.
enum WatchSchema {
    static func migrate(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE watched (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                ref TEXT NOT NULL UNIQUE,
                kind INTEGER NOT NULL,
                sealed BLOB NOT NULL,
                registered_at INTEGER NOT NULL
            );
            CREATE TABLE watch_domains (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                origin TEXT NOT NULL,
                epoch INTEGER NOT NULL,
                covered_through INTEGER NOT NULL DEFAULT 0,
                since INTEGER NOT NULL,
                updated_at INTEGER NOT NULL
            );
            CREATE INDEX watch_domains_by_origin ON watch_domains (origin, id);
            CREATE TABLE watch_index (
                domain INTEGER NOT NULL,
                fingerprint INTEGER NOT NULL,
                account INTEGER NOT NULL,
                tail INTEGER,
                PRIMARY KEY (domain, fingerprint, account)
            ) WITHOUT ROWID;
            CREATE TABLE watch_listings (
                origin TEXT NOT NULL,
                entry_id TEXT NOT NULL,
                listed_on INTEGER NOT NULL,
                PRIMARY KEY (origin, entry_id)
            );
            CREATE INDEX watch_listings_by_day ON watch_listings (listed_on);
            """)
        // Entries already stored whose listing day is still to come start matching on that day.
        let today = Int64(NodeClock.today().ordinal)
        try db.execute(sql: """
            INSERT INTO watch_listings (origin, entry_id, listed_on)
            SELECT origin, entry_id, listed_on FROM entries WHERE status = ? AND listed_on > ?
            """, arguments: [Int64(EntryStatus.active.code), today])
        try WatchState.set(db, WatchState.dayKey, today)
    }

    /// Migration `v8-watch-seals`: watched identifiers sealed in boxes of many accounts (64 until v11;
    /// `WatchSealBox`); `watched.sealed` of a new row refers to its box and slot. Rows registered
    /// before keep their own box, which still opens.
    static func migrateSeals(_ db: Database) throws {
        try db.execute(sql: "CREATE TABLE watch_seals (id INTEGER PRIMARY KEY, box BLOB NOT NULL)")
    }

    /// Migration `v11-watch-compact`: `watched.registered_at` goes (it was written and never read: 7 of
    /// the row's 36 to 38 bytes). SQLite rewrites the table once, in the migration's transaction. New references
    /// are shorter and boxes fuller from this version on (`WatchSealBox`); rows already written keep theirs.
    static func dropRegisteredAt(_ db: Database) throws {
        try db.execute(sql: "ALTER TABLE watched DROP COLUMN registered_at")
    }

    /// Migration `v12-watch-refs`: from now on a registered account is a slot of its box and a row of
    /// `watch_refs` (`WatchLayout`), not a row of `watched` and of its ref index: one B-tree insert per
    /// account instead of two, and 86.2 → 61.5 B per account at 10⁷. The refs of the accounts already watched are copied
    /// in (in ref order, through `watched`'s ref index); their rows stay, with their ids.
    static func migrateRefs(_ db: Database) throws {
        try db.execute(sql: "CREATE TABLE watch_refs (ref TEXT PRIMARY KEY, account INTEGER NOT NULL) WITHOUT ROWID")
        try db.execute(sql: "INSERT INTO watch_refs (ref, account) SELECT ref, id FROM watched ORDER BY ref")
        try WatchLayout.start(db)
    }
}
