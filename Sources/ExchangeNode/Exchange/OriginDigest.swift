import Crypto
import ExchangeProtocol
import Foundation
import GRDB

/// A summary of one origin's entries as a node holds them: count and a SHA-256 over
/// (seq, event digest) in sequence order. Two nodes holding the same events agree on it; any
/// missing, extra or altered entry changes it.
public struct OriginDigest: Codable, Sendable, Equatable {
    public let origin: String
    public let throughSeq: UInt64
    public let entries: Int
    public let digest: String

    enum CodingKeys: String, CodingKey {
        case origin, entries, digest
        case throughSeq = "through_seq"
    }

    static func compute(origin: String, through: UInt64, lists: [ListKind], _ db: Database) throws -> OriginDigest {
        let allowed = Set(lists.map { Int64($0.code) })
        var hasher = SHA256()
        var count = 0
        let rows = try GRDB.Row.fetchCursor(db, sql: "SELECT seq, list, event_digest FROM entries WHERE origin = ? AND seq <= ? ORDER BY seq",
                                       arguments: [origin, Int64(through)])
        while let row = try rows.next() {
            guard allowed.contains(row[1] as Int64) else { continue }
            var seq = (row[0] as Int64).bigEndian
            withUnsafeBytes(of: &seq) { hasher.update(bufferPointer: $0) }
            let digest: Data = row[2]
            hasher.update(data: digest)
            count += 1
        }
        let hex = hasher.finalize().map { String(format: "%02x", $0) }.joined()
        return OriginDigest(origin: origin, throughSeq: through, entries: count, digest: hex)
    }
}
