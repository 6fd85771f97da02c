import ExchangeProtocol
import Foundation
import GRDB

/// Keeps, in `origin_digests`, the running ``DigestSum`` and entry count of every (origin, list,
/// category) the store holds, so the anti-entropy digest of an origin costs one read of a few rows
/// instead of a scan of its entries (docs/protocol.md, "Anti-entropy").
///
/// ``EntryTable`` records each entry it inserts or replaces here; the changes of one transaction
/// are summed in memory and written by ``flush(_:)``, which the transaction calls before it commits.
/// Deleting an origin's entries deletes its rows with ``forget(origin:_:)``.
final class DigestLedger {
    private struct Bucket: Hashable {
        let origin: String
        let list: Int64
        let category: Int64
    }

    private var deltas: [Bucket: (entries: Int64, sum: DigestSum)] = [:]

    static let createSQL = """
        CREATE TABLE origin_digests (
            origin TEXT NOT NULL,
            list INTEGER NOT NULL,
            category INTEGER NOT NULL,
            entries INTEGER NOT NULL,
            sum BLOB NOT NULL,
            PRIMARY KEY (origin, list, category)
        ) WITHOUT ROWID
        """

    /// An entry stored with these values joins the origin's digest.
    func add(origin: String, list: Int64, category: Int64, seq: UInt64, eventDigest: [UInt8]) {
        change(Bucket(origin: origin, list: list, category: category), entries: 1,
               sum: DigestSum.element(seq: seq, eventDigest: eventDigest))
    }

    /// An entry stored with these values leaves it (replaced by a newer version).
    func remove(origin: String, list: Int64, category: Int64, seq: UInt64, eventDigest: [UInt8]) {
        change(Bucket(origin: origin, list: list, category: category), entries: -1,
               sum: -DigestSum.element(seq: seq, eventDigest: eventDigest))
    }

    private func change(_ bucket: Bucket, entries: Int64, sum: DigestSum) {
        let current = deltas[bucket] ?? (0, .zero)
        deltas[bucket] = (current.entries + entries, current.sum + sum)
    }

    /// Adds the recorded changes to the stored rows. Call inside the transaction that wrote the entries.
    func flush(_ db: Database) throws {
        guard !deltas.isEmpty else { return }
        let select = try db.cachedStatement(sql: "SELECT entries, sum FROM origin_digests WHERE origin = ? AND list = ? AND category = ?")
        let upsert = try db.cachedStatement(sql: "INSERT OR REPLACE INTO origin_digests (origin, list, category, entries, sum) VALUES (?, ?, ?, ?, ?)")
        let delete = try db.cachedStatement(sql: "DELETE FROM origin_digests WHERE origin = ? AND list = ? AND category = ?")
        for (bucket, delta) in deltas where delta.entries != 0 || delta.sum != .zero {
            let key: StatementArguments = [bucket.origin, bucket.list, bucket.category]
            var entries = delta.entries, sum = delta.sum
            if let row = try GRDB.Row.fetchOne(select, arguments: key) {
                entries += row[0] as Int64
                sum += try Self.sum(row[1], origin: bucket.origin)
            }
            if entries == 0, sum == .zero {
                try delete.execute(arguments: key)
            } else {
                try upsert.execute(arguments: key + [entries, Data(sum.bytes)])
            }
        }
        deltas.removeAll(keepingCapacity: true)
    }

    /// The digest of what `visibility` admits of `origin`'s entries, from the ledger.
    static func digest(origin: String, through: UInt64, visibility: PeerVisibility, _ db: Database) throws -> OriginDigest {
        var entries: Int64 = 0
        var sum = DigestSum.zero
        let rows = try GRDB.Row.fetchCursor(db, sql: "SELECT list, category, entries, sum FROM origin_digests WHERE origin = ?",
                                       arguments: [origin])
        while let row = try rows.next() {
            guard visibility.admits(listCode: row[0], categoryCode: row[1]) else { continue }
            entries += row[2] as Int64
            sum += try Self.sum(row[3], origin: origin)
        }
        return OriginDigest(origin: origin, throughSeq: through, entries: Int(entries), digest: Hex.encode(sum.bytes),
                            scheme: OriginDigest.sumScheme)
    }

    /// Deletes the ledger rows of an origin whose entries are deleted (an expelled member, a copy re-pulled whole).
    static func forget(origin: String, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM origin_digests WHERE origin = ?", arguments: [origin])
    }

    /// Recomputes the ledger of `origin` (every origin when nil) from its entries: the migration that
    /// creates the table, and the repair after a digest exchange found the ledger out of step with them.
    static func rebuild(origin: String? = nil, _ db: Database) throws {
        if let origin { try forget(origin: origin, db) } else { try db.execute(sql: "DELETE FROM origin_digests") }
        let ledger = try computed(origin: origin, db)
        try ledger.flush(db)
    }

    /// Whether the stored ledger is the one the entries give (a scan of every entry; for checks and tests).
    static func isInStep(_ db: Database) throws -> Bool {
        let expected = try computed(origin: nil, db).deltas.filter { $0.value.entries != 0 || $0.value.sum != .zero }
        var stored: [Bucket: (entries: Int64, sum: DigestSum)] = [:]
        for row in try GRDB.Row.fetchAll(db, sql: "SELECT origin, list, category, entries, sum FROM origin_digests") {
            let origin: String = row[0]
            stored[Bucket(origin: origin, list: row[1], category: row[2])] = (row[3], try Self.sum(row[4], origin: origin))
        }
        return stored.count == expected.count
            && expected.allSatisfy { bucket, value in stored[bucket].map { $0.entries == value.entries && $0.sum == value.sum } ?? false }
    }

    /// A ledger holding, as changes not yet written, every entry of `origin` (every origin when nil).
    private static func computed(origin: String?, _ db: Database) throws -> DigestLedger {
        let ledger = DigestLedger()
        let sql = "SELECT origin, list, category, seq, event_digest FROM entries" + (origin == nil ? "" : " WHERE origin = ?")
        let rows = try GRDB.Row.fetchCursor(db, sql: sql, arguments: origin.map { [$0] } ?? [])
        while let row = try rows.next() {
            ledger.add(origin: row[0], list: row[1], category: row[2], seq: UInt64(row[3] as Int64),
                       eventDigest: [UInt8](row[4] as Data))
        }
        return ledger
    }

    private static func sum(_ value: Data?, origin: String) throws -> DigestSum {
        guard let value, let sum = DigestSum(bytes: value) else {
            throw NodeError.store("the anti-entropy ledger row of \(origin) holds no 32-byte sum")
        }
        return sum
    }
}
