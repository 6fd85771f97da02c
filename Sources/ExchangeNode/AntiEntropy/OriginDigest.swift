import Crypto
import ExchangeProtocol
import Foundation
import GRDB

/// A summary of one origin's entries as a node holds them, as `GET /v1/digest` answers it: the
/// number of entries and a digest over their (seq, event digest) pairs. Two nodes holding the same
/// events agree on it; any missing, extra or altered entry changes it.
///
/// Two schemes exist (docs/protocol.md, "Anti-entropy"):
/// - `sum-sha256` (``sumScheme``): the ``DigestSum`` of the entries, read from the ``DigestLedger``
///   in O(1) of the number of entries. Asked for with `?scheme=sum-sha256`; the answer names it.
/// - the chain (``chain(origin:through:lists:categories:_:)``, no `scheme` field): SHA-256 over the
///   pairs in sequence order, a scan of every entry. Nodes before the ledger know only this one;
///   a node still answers it when asked without a scheme, and uses it to settle a disagreement.
public struct OriginDigest: Codable, Sendable, Equatable {
    public let origin: String
    public let throughSeq: UInt64
    public let entries: Int
    public let digest: String
    /// ``sumScheme``, or nil for the chain.
    public let scheme: String?

    public static let sumScheme = "sum-sha256"

    public init(origin: String, throughSeq: UInt64, entries: Int, digest: String, scheme: String? = nil) {
        self.origin = origin
        self.throughSeq = throughSeq
        self.entries = entries
        self.digest = digest
        self.scheme = scheme
    }

    enum CodingKeys: String, CodingKey {
        case origin, entries, digest, scheme
        case throughSeq = "through_seq"
    }

    /// Whether two digests say the same about the same entries (same scheme, count and digest).
    func agrees(with other: OriginDigest) -> Bool {
        scheme == other.scheme && entries == other.entries && digest == other.digest
    }

    /// The chain digest: a scan of the origin's entries up to `through` that `lists` and `categories` admit.
    static func chain(
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

    /// The digest in `scheme` (``sumScheme`` or nil for the chain) of what `visibility` admits of
    /// `origin`'s entries up to `through`.
    static func compute(
        scheme: String?, origin: String, through: UInt64, lists: [ListKind], categories: [ExchangeProtocol.Category]? = nil,
        _ db: Database
    ) throws -> OriginDigest {
        if scheme == sumScheme {
            return try DigestLedger.digest(origin: origin, through: through,
                                           visibility: PeerVisibility(lists: lists, categories: categories), db)
        }
        return try chain(origin: origin, through: through, lists: lists, categories: categories, db)
    }
}
