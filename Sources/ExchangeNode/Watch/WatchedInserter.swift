import GRDB

/// Inserts `watched` rows for a registration, inside its transaction, many rows per statement and
/// with ids it assigns itself: one statement per row cost a statement's set-up and an update of
/// `sqlite_sequence` (the table is AUTOINCREMENT) per account, the larger part of the writer's time.
///
/// Ids keep the AUTOINCREMENT promise (never reused, always above every id ever given): the first is
/// one above both the highest id and `sqlite_sequence`'s, and an id given to a row that its ref's
/// conflict skipped is never given again.
final class WatchedInserter {
    /// One account to insert.
    struct Row {
        let ref: String
        let kind: Int64
        /// Where its identifier is sealed (`watched.sealed`).
        let sealed: WatchSealBox.Reference
    }

    static let group = 32
    private let many: RawStatement
    private let one: RawStatement
    private let idOfRef: RawStatement
    private var nextID: Int64

    init(_ db: Database) throws {
        let values = Array(repeating: "(?, ?, ?, ?)", count: Self.group).joined(separator: ", ")
        many = try RawStatement(db, "INSERT INTO watched (id, ref, kind, sealed) VALUES \(values) ON CONFLICT (ref) DO NOTHING")
        one = try RawStatement(db, "INSERT INTO watched (id, ref, kind, sealed) VALUES (?, ?, ?, ?) ON CONFLICT (ref) DO NOTHING")
        idOfRef = try RawStatement(db, "SELECT id FROM watched WHERE ref = ?")
        let highest = try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM watched") ?? 0
        let sequence = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'watched'") ?? 0
        nextID = max(highest, sequence) + 1
    }

    /// Inserts `rows`; the new id of each, or nil where its ref is registered already (in the store,
    /// or earlier in `rows`).
    func insert(_ rows: [Row]) throws -> [Int64?] {
        var ids: [Int64?] = []
        ids.reserveCapacity(rows.count)
        var start = 0
        while rows.count - start >= Self.group {
            let first = nextID
            nextID += Int64(Self.group)
            for offset in 0..<Self.group {
                bind(many, rows[start + offset], id: first + Int64(offset), at: Int32(offset * 4))
            }
            try many.run()
            if many.changedRows == Int32(Self.group) {
                ids += (0..<Int64(Self.group)).map { first + $0 }
            } else {
                // Some refs were registered already: which ones, row by row (rare: re-registrations).
                for offset in 0..<Self.group {
                    let id = first + Int64(offset)
                    ids.append(try self.id(of: rows[start + offset].ref) == id ? id : nil)
                }
            }
            start += Self.group
        }
        for row in rows[start...] { ids.append(try insert(row)) }
        return ids
    }

    /// Inserts one row; its new id, or nil where its ref is registered already.
    func insert(_ row: Row) throws -> Int64? {
        let id = nextID
        nextID += 1
        bind(one, row, id: id, at: 0)
        try one.run()
        return one.changedRows == 1 ? id : nil
    }

    private func bind(_ statement: RawStatement, _ row: Row, id: Int64, at base: Int32) {
        statement.bind(base + 1, id)
        statement.bind(base + 2, row.ref)
        statement.bind(base + 3, row.kind)
        row.sealed.withUnsafeBytes { statement.bind(base + 4, blob: $0) }
    }

    private func id(of ref: String) throws -> Int64? {
        defer { idOfRef.reset() }
        idOfRef.bind(1, ref)
        return try idOfRef.step() ? idOfRef.int64(0) : nil
    }
}
