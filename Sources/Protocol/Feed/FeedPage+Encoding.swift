extension FeedPage {
    /// Encodes a page from events already in canonical form, without decoding them: the serving
    /// side of a feed (the bytes are what the origin signed and stored).
    public static func encode(
        origin: String, originCertificateDER: [UInt8], coveredThrough: UInt64, hasMore: Bool,
        batches: [SignedBatch], canonicalEvents: [[UInt8]]
    ) -> [UInt8] {
        var size = 64 + originCertificateDER.count
        for batch in batches { size += 16 + batch.digests.count * 32 + batch.signature.count }
        for event in canonicalEvents { size += 4 + event.count }
        var writer = ByteWriter(capacity: size)
        writer.raw(magic)
        writer.u16(version)
        writer.string(origin)
        writer.data(originCertificateDER)
        writer.u64(coveredThrough)
        writer.u8(hasMore ? 1 : 0)
        writer.varint(UInt64(batches.count))
        for batch in batches { batch.write(to: &writer) }
        writer.varint(UInt64(canonicalEvents.count))
        for event in canonicalEvents { writer.data(event) }
        return writer.bytes
    }
}
