import ExchangeProtocol
import Foundation
import GRDB

/// Builds pages of this node's own feed for one peer: events after the peer's cursor, limited to
/// the lists (and categories) its peers file allows, with the signed batches that cover them.
package struct FeedBuilder {
    let member: String
    let certificateDER: [UInt8]
    let store: NodeStore

    package static let defaultPageSize = 10_000
    package static let maxPageSize = 50_000

    /// A page of our feed after `cursor`, encoded straight from the stored canonical bytes (no
    /// decoding): the events the peer may see, the signed batches covering them, and the cursor
    /// the peer moves to (`coveredThrough`).
    func encodedPage(after cursor: UInt64, limit: Int, lists: [ListKind], categories: [ExchangeProtocol.Category]? = nil)
        throws(NodeError) -> (bytes: [UInt8], events: Int, coveredThrough: UInt64)
    {
        let limit = max(1, min(limit, Self.maxPageSize))
        let visibility = PeerVisibility(lists: lists, categories: categories)
        return try store.read { db in
            let head = UInt64(try NodeState.get(db, OwnEventWriter.sequenceKey) ?? 0)
            let rows = try GRDB.Row.fetchCursor(db, sql: """
                SELECT seq, list, category, event FROM entries WHERE origin = ? AND seq > ? ORDER BY seq LIMIT ?
                """, arguments: [member, Int64(cursor), limit + 1])
            var events: [[UInt8]] = []
            events.reserveCapacity(min(limit, 16_384))
            var firstSeq: UInt64?
            var lastSeq: UInt64 = 0
            var scanned = 0
            var coveredThrough = cursor
            var hasMore = false
            while let row = try rows.next() {
                if scanned == limit { hasMore = true; break }
                scanned += 1
                let seq = UInt64(row[0] as Int64)
                coveredThrough = seq
                guard visibility.admits(listCode: row[1], categoryCode: row[2]) else { continue }
                let canonical: [UInt8] = try row.withUnsafeData(atIndex: 3) { data in data.map { [UInt8]($0) } ?? [] }
                events.append(canonical)
                if firstSeq == nil { firstSeq = seq }
                lastSeq = seq
            }
            if !hasMore { coveredThrough = max(coveredThrough, head) }
            let batches = try firstSeq.map { try BatchTable.covering(origin: member, range: $0...lastSeq, db) } ?? []
            let bytes = FeedPage.encode(origin: member, originCertificateDER: certificateDER, coveredThrough: coveredThrough,
                                        hasMore: hasMore, batches: batches, canonicalEvents: events)
            return (bytes, events.count, coveredThrough)
        }
    }

    /// The anti-entropy digest of what `lists` and `categories` let a peer see of our entries, in
    /// `scheme` (``OriginDigest/sumScheme``; nil or any other value: the chain, which says so by naming none).
    func digest(scheme: String? = nil, lists: [ListKind], categories: [ExchangeProtocol.Category]? = nil) throws(NodeError) -> OriginDigest {
        try store.read { db in
            let head = UInt64(try NodeState.get(db, OwnEventWriter.sequenceKey) ?? 0)
            return try OriginDigest.compute(scheme: scheme, origin: member, through: head, lists: lists, categories: categories, db)
        }
    }
}
