/// One page of an origin's feed, as served at `GET /v1/feed?after=SEQ`.
///
/// Binary form (`application/vnd.exchange-node.feed`):
/// `"XNFP" ‖ u16 version ‖ origin ‖ certificate DER ‖ u64 coveredThrough ‖ u8 hasMore ‖
///  varint batchCount ‖ batches ‖ varint eventCount ‖ events (length-prefixed canonical bytes)`.
///
/// `coveredThrough` is the highest sequence number the page accounts for: events the caller may
/// not receive (lists its peers file does not allow) and events superseded by later changes of the
/// same entry leave gaps below it, which is expected. The caller's next cursor is `coveredThrough`.
public struct FeedPage: Sendable {
    public static let magic: [UInt8] = Array("XNFP".utf8)
    public static let version: UInt16 = 1
    public static let contentType = "application/vnd.exchange-node.feed"

    public var origin: String
    /// The origin's certificate (DER), so the page can be verified on its own.
    public var originCertificateDER: [UInt8]
    public var coveredThrough: UInt64
    public var hasMore: Bool
    public var batches: [SignedBatch]
    /// Each event with its canonical bytes as received (the digest is computed over these).
    public var events: [(event: EntryEvent, canonical: [UInt8])]

    public init(
        origin: String, originCertificateDER: [UInt8], coveredThrough: UInt64, hasMore: Bool,
        batches: [SignedBatch], events: [(event: EntryEvent, canonical: [UInt8])]
    ) {
        self.origin = origin
        self.originCertificateDER = originCertificateDER
        self.coveredThrough = coveredThrough
        self.hasMore = hasMore
        self.batches = batches
        self.events = events
    }

    public func encoded() -> [UInt8] {
        Self.encode(origin: origin, originCertificateDER: originCertificateDER, coveredThrough: coveredThrough,
                    hasMore: hasMore, batches: batches, canonicalEvents: events.map(\.canonical))
    }

    /// Decodes and structurally validates a page (signatures are checked by ``FeedVerifier``).
    public init(decoding bytes: [UInt8], limits: WireLimits = .default) throws(WireError) {
        guard bytes.count <= limits.maxPageBytes else { throw .oversized("feed page", limit: limits.maxPageBytes) }
        var reader = ByteReader(bytes)
        guard Array(try reader.raw("magic", count: 4)) == Self.magic else { throw .badMagic }
        let version = try reader.u16("version")
        guard version == Self.version else { throw .unsupportedVersion(Int(version), supported: 1...1) }
        origin = try reader.string("origin", limit: limits.maxNameBytes)
        try WireLimits.checkName(origin, field: "origin")
        originCertificateDER = Array(try reader.data("certificate", limit: 16_384))
        coveredThrough = try reader.u64("covered through")
        guard coveredThrough <= WireLimits.maxSequence else { throw .malformed("covered-through sequence exceeds 2^63-1") }
        let more = try reader.u8("has more")
        guard more <= 1 else { throw .malformed("has-more flag must be 0 or 1") }
        hasMore = more == 1
        let batchCount = try reader.varint("batch count")
        guard batchCount <= UInt64(limits.maxBatchesPerPage) else { throw .oversized("batches per page", limit: limits.maxBatchesPerPage) }
        var batches = [SignedBatch]()
        for _ in 0..<batchCount { batches.append(try SignedBatch.read(from: &reader, origin: origin, limits: limits)) }
        self.batches = batches
        let eventCount = try reader.varint("event count")
        guard eventCount <= UInt64(limits.maxEventsPerPage) else { throw .oversized("events per page", limit: limits.maxEventsPerPage) }
        var events = [(event: EntryEvent, canonical: [UInt8])]()
        events.reserveCapacity(Int(eventCount))
        for _ in 0..<eventCount {
            let canonical = Array(try reader.data("event", limit: 4_096))
            let event = try EntryEvent(canonical: canonical, limits: limits)
            guard event.origin == origin else { throw .wrongSigner(expected: origin, actual: event.origin) }
            guard event.seq <= coveredThrough else { throw .malformed("event beyond the page's covered sequence") }
            events.append((event, canonical))
        }
        self.events = events
        guard reader.isAtEnd else { throw .malformed("trailing bytes after page") }
    }
}
