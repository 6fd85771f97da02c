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

    static func compute(
        origin: String, through: UInt64, lists: [ListKind], categories: [ExchangeProtocol.Category]? = nil, _ db: Database
    ) throws -> OriginDigest {
        let visibility = PeerVisibility(lists: lists, categories: categories)
        var hasher = SHA256()
        var count = 0
        let rows = try GRDB.Row.fetchCursor(db, sql: "SELECT seq, list, category, event_digest FROM entries WHERE origin = ? AND seq <= ? ORDER BY seq",
                                       arguments: [origin, Int64(clamping: through)])
        while let row = try rows.next() {
            guard visibility.admits(listCode: row[1], categoryCode: row[2]) else { continue }
            var seq = (row[0] as Int64).bigEndian
            withUnsafeBytes(of: &seq) { hasher.update(bufferPointer: $0) }
            let digest: Data = row[3]
            hasher.update(data: digest)
            count += 1
        }
        let hex = Hex.encode(hasher.finalize())
        return OriginDigest(origin: origin, throughSeq: through, entries: count, digest: hex)
    }
}
