import GRDB

/// Where a watched account is, read from its id (migration `v12-watch-refs`; docs/watch.md, "Accounts").
///
/// - From v12 an account is one slot of a sealed box, and its id says which: `box << 8 | slot` (a box
///   has at most 255 slots). `watch_refs` maps each ref to its account id; there is no row per
///   account besides. Box ids come from a counter that never goes back (`watch_next_box`) and a slot
///   released is never filled again, so ids are never reused and grow in registration order (a
///   domain's coverage is one watermark).
/// - Accounts registered before v12 keep their `watched` row and its id, all at most ``legacyThrough``;
///   their refs were copied into `watch_refs`. Boxes of accounts from v12 on are numbered from
///   ``firstBox``, above every box of before and above `legacyThrough >> 8`, so the two kinds of id
///   never meet.
struct WatchLayout: Sendable, Equatable {
    static let legacyThroughKey = "watch_legacy_through"
    static let firstBoxKey = "watch_first_box"
    static let nextBoxKey = "watch_next_box"

    /// Accounts with an id up to this one are rows of `watched` (0 in a store created from v12 on).
    let legacyThrough: Int64
    /// The first box whose slots are accounts named by their slot.
    let firstBox: Int64

    static func load(_ db: Database) throws -> WatchLayout {
        WatchLayout(legacyThrough: try NodeState.get(db, legacyThroughKey) ?? 0, firstBox: try NodeState.get(db, firstBoxKey) ?? 1)
    }

    /// The id of the account in `slot` of `box`.
    static func account(box: Int64, slot: Int) -> Int64 { box << 8 | Int64(slot) }

    /// Whether `id` names a row of `watched` rather than a slot of a box.
    func isLegacy(_ id: Int64) -> Bool { id <= legacyThrough }

    /// The box and slot the account `id` (not a legacy one) is in.
    static func place(of id: Int64) -> (box: Int64, slot: Int) { (id >> 8, Int(id & 0xFF)) }

    /// The id the next box gets; registrations take ids from it and move it on (``advanceBoxes(to:_:)``).
    static func nextBox(_ db: Database) throws -> Int64 {
        try NodeState.get(db, nextBoxKey) ?? 1
    }

    static func advanceBoxes(to next: Int64, _ db: Database) throws {
        try NodeState.set(db, nextBoxKey, next)
    }

    /// Migration `v12-watch-refs`: the layout of a store whose accounts so far are all rows of `watched`.
    static func start(_ db: Database) throws {
        let highest = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM watched") ?? 0
        let sequence = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'watched'") ?? 0
        let legacyThrough = max(highest, sequence)
        let boxes = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM watch_seals") ?? 0
        let firstBox = max(boxes + 1, (legacyThrough >> 8) + 1)
        try NodeState.set(db, legacyThroughKey, legacyThrough)
        try NodeState.set(db, firstBoxKey, firstBox)
        try NodeState.set(db, nextBoxKey, firstBox)
    }
}
