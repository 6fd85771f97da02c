import GRDB

/// Inserts the `watch_refs` rows of a registration, inside its transaction, many rows per statement
/// (one statement per row cost a statement's set-up per account). Each row maps a ref to the account
/// id its box and slot give (`WatchLayout`); a ref watched already is left as it is, for the
/// registration to keep or replace.
final class WatchRefInserter {
    static let group = 32
    private let many: RawStatement
    private let one: RawStatement
    private let idOfRef: RawStatement

    init(_ db: Database) throws {
        let values = Array(repeating: "(?, ?)", count: Self.group).joined(separator: ", ")
        many = try RawStatement(db, "INSERT INTO watch_refs (ref, account) VALUES \(values) ON CONFLICT (ref) DO NOTHING")
        one = try RawStatement(db, "INSERT INTO watch_refs (ref, account) VALUES (?, ?) ON CONFLICT (ref) DO NOTHING")
        idOfRef = try RawStatement(db, "SELECT account FROM watch_refs WHERE ref = ?")
    }

    /// Inserts `refs[i] → ids[i]`; whether each was inserted (false where its ref is watched already,
    /// in the store or earlier in `refs`).
    func insert(_ refs: [String], ids: [Int64]) throws -> [Bool] {
        precondition(refs.count == ids.count)
        var inserted: [Bool] = []
        inserted.reserveCapacity(refs.count)
        var start = 0
        while refs.count - start >= Self.group {
            for offset in 0..<Self.group {
                many.bind(Int32(offset * 2 + 1), refs[start + offset])
                many.bind(Int32(offset * 2 + 2), ids[start + offset])
            }
            try many.run()
            if many.changedRows == Int32(Self.group) {
                inserted += repeatElement(true, count: Self.group)
            } else {
                // Some refs were watched already: which ones, row by row (rare: re-registrations).
                for offset in 0..<Self.group {
                    inserted.append(try id(of: refs[start + offset]) == ids[start + offset])
                }
            }
            start += Self.group
        }
        for position in start..<refs.count {
            one.bind(1, refs[position])
            one.bind(2, ids[position])
            try one.run()
            inserted.append(one.changedRows == 1)
        }
        return inserted
    }

    private func id(of ref: String) throws -> Int64? {
        defer { idOfRef.reset() }
        idOfRef.bind(1, ref)
        return try idOfRef.step() ? idOfRef.int64(0) : nil
    }
}
