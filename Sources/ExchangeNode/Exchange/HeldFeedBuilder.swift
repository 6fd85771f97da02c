import ExchangeProtocol
import Foundation
import GRDB

/// Builds pages of what this node holds of another member's feed, for that member only
/// (`GET /v1/held`, docs/protocol.md "Feed recovery"): a member restored from an old backup takes its
/// own events back from its peers. The page is in the feed format: the holder's stored event of each
/// of the origin's entries after the cursor (the canonical bytes as received), the origin's signed
/// batches that cover them, and as `covered_through` of the last page the holder's own cursor on the
/// origin's feed (it has seen everything up to there, including what it was not sent).
struct HeldFeedBuilder {
    let store: NodeStore

    func encodedPage(origin: String, after cursor: UInt64, limit: Int)
        throws(NodeError) -> (bytes: [UInt8], events: Int, coveredThrough: UInt64)
    {
        let limit = max(1, min(limit, FeedBuilder.maxPageSize))
        return try store.read { db in
            let heldCursor = try Cursors.get(origin: origin, db)
            let certificate = try Data.fetchOne(db, sql: "SELECT der FROM origin_certificates WHERE origin = ?", arguments: [origin])
            let rows = try GRDB.Row.fetchCursor(db, sql: """
                SELECT seq, event FROM entries WHERE origin = ? AND seq > ? ORDER BY seq LIMIT ?
                """, arguments: [origin, Int64(cursor), limit + 1])
            var events: [[UInt8]] = []
            var firstSeq: UInt64?
            var lastSeq: UInt64 = 0
            var hasMore = false
            while let row = try rows.next() {
                if events.count == limit { hasMore = true; break }
                let seq = UInt64(row[0] as Int64)
                let canonical: [UInt8] = try row.withUnsafeData(atIndex: 1) { data in data.map { [UInt8]($0) } ?? [] }
                events.append(canonical)
                if firstSeq == nil { firstSeq = seq }
                lastSeq = seq
            }
            let coveredThrough = hasMore ? lastSeq : max(cursor, lastSeq, heldCursor)
            let batches = try firstSeq.map { try BatchTable.covering(origin: origin, range: $0...lastSeq, db) } ?? []
            let bytes = FeedPage.encode(origin: origin, originCertificateDER: certificate.map { [UInt8]($0) } ?? [],
                                        coveredThrough: coveredThrough, hasMore: hasMore, batches: batches, canonicalEvents: events)
            return (bytes, events.count, coveredThrough)
        }
    }
}
