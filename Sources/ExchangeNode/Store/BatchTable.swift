import ExchangeProtocol
import Foundation
import GRDB

/// Signed batches of event digests, per origin: our own (to serve) and our peers' (as received).
enum BatchTable {
    static func insert(_ batch: SignedBatch, _ db: Database) throws {
        var digests = [UInt8]()
        digests.reserveCapacity(batch.digests.count * 32)
        for digest in batch.digests { digests.append(contentsOf: digest) }
        try db.execute(
            sql: "INSERT OR REPLACE INTO batches (origin, first_seq, last_seq, digests, signature) VALUES (?, ?, ?, ?, ?)",
            arguments: [batch.origin, Int64(batch.firstSeq), Int64(batch.lastSeq), Data(digests), Data(batch.signature)]
        )
    }

    /// The batches of `origin` that cover any sequence number in `range`.
    static func covering(origin: String, range: ClosedRange<UInt64>, _ db: Database) throws -> [SignedBatch] {
        let rows = try GRDB.Row.fetchAll(db, sql: """
            SELECT first_seq, digests, signature FROM batches
            WHERE origin = ? AND last_seq >= ? AND first_seq <= ? ORDER BY first_seq
            """, arguments: [origin, Int64(range.lowerBound), Int64(range.upperBound)])
        return rows.map { row in
            let blob: Data = row["digests"]
            let flat = [UInt8](blob)
            let digests = stride(from: 0, to: flat.count, by: 32).map { Array(flat[$0..<min($0 + 32, flat.count)]) }
            let signature: Data = row["signature"]
            return SignedBatch(origin: origin, firstSeq: UInt64(row["first_seq"] as Int64), digests: digests, signature: [UInt8](signature))
        }
    }
}
