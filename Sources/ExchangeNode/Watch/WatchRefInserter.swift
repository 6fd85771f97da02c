import GRDB

/// Inserts the `watch_refs` rows of a registration, inside its transaction, many rows per statement
/// (one statement per row cost a statement's set-up per account). Each row maps a ref to the account
/// id its box and slot give (`WatchLayout`); a ref watched already is left as it is, for the
/// registration to keep or replace.
final class WatchRefInserter {
    static let group = 32
    private let many: RawStatement
    private let one: RawStatement
    /// Reads which account a ref maps to, when a group was not inserted whole.
    private let accounts: WatchAccounts

    init(_ db: Database, accounts: WatchAccounts) throws {
        let values = Array(repeating: "(?, ?)", count: Self.group).joined(separator: ", ")
        many = try RawStatement(db, "INSERT INTO watch_refs (ref, account) VALUES \(values) ON CONFLICT (ref) DO NOTHING")
        one = try RawStatement(db, "INSERT INTO watch_refs (ref, account) VALUES (?, ?) ON CONFLICT (ref) DO NOTHING")
        self.accounts = accounts
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
                    inserted.append(try accounts.id(ref: refs[start + offset]) == ids[start + offset])
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
}
