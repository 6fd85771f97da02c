import ExchangeProtocol
import GRDB

/// The watch's small settings in `node_state`.
enum WatchState {
    /// Bumped by every change of the watched accounts, `watch_domains` or `watch_index`: a probe made outside a
    /// write transaction is valid inside it only if this did not move.
    static let versionKey = "watch_version"
    /// The last day whose listings and expiries were processed (a day ordinal).
    static let dayKey = "watch_day"
    /// Index rows left behind by removed accounts (an estimate; compaction resets it).
    static let garbageKey = "watch_garbage"

    /// The day a peer refused masking for budget: it is not asked again before the next day.
    static func blockedKey(_ peer: String) -> String { "watch_blocked.\(peer)" }

    static func get(_ db: Database, _ key: String) throws -> Int64? { try NodeState.get(db, key) }
    static func set(_ db: Database, _ key: String, _ value: Int64) throws { try NodeState.set(db, key, value) }

    static func version(_ db: Database) throws -> Int64 { try get(db, versionKey) ?? 0 }

    static func bump(_ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO node_state (key, value) VALUES (?, 1) ON CONFLICT(key) DO UPDATE SET value = value + 1
            """, arguments: [versionKey])
    }

    static func addGarbage(_ db: Database, _ rows: Int64) throws {
        guard rows > 0 else { return }
        try db.execute(sql: """
            INSERT INTO node_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = value + excluded.value
            """, arguments: [garbageKey, rows])
    }

    /// Whether any account is watched (one probe of the table's first row).
    static func isWatching(_ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM watch_refs)") ?? false
    }

    /// Whether `peer` refused masking for budget today.
    static func isBlocked(_ peer: String, on day: Day, _ db: Database) throws -> Bool {
        try get(db, blockedKey(peer)) == Int64(day.ordinal)
    }
}
