import Crypto

/// Checks that every event of a page is covered by a batch signed with the origin's key and
/// matches the digest the batch holds for its sequence number.
public struct FeedVerifier: Sendable {
    public let originKey: P256.Signing.PublicKey

    public init(originKey: P256.Signing.PublicKey) { self.originKey = originKey }

    /// Returns the digests of the page's events, in order, once all checks pass.
    public func verify(_ page: FeedPage) throws(WireError) -> [[UInt8]] {
        let batches = page.batches.sorted { $0.firstSeq < $1.firstSeq }
        // One ECDSA verification per batch is the costly part when the origin signed many small batches
        // (each revocation is its own): both cores. The first failure in sequence order is reported.
        let key = originKey
        let failures = ParallelChunks.map(count: batches.count, threads: 2, minimumChunk: 32) { range in
            range.compactMap { index -> WireError? in
                do throws(WireError) {
                    try batches[index].verify(publicKey: key)
                    return nil
                } catch {
                    return error
                }
            }
        }
        if let failure = failures.first { throw failure }
        var digests = [[UInt8]]()
        digests.reserveCapacity(page.events.count)
        var batchIndex = 0
        var previousSeq: UInt64 = 0
        for item in page.events {
            let seq = item.event.seq
            guard seq > previousSeq else { throw .malformed("events out of order or replayed within the page") }
            previousSeq = seq
            while batchIndex < batches.count, batches[batchIndex].lastSeq < seq { batchIndex += 1 }
            guard batchIndex < batches.count, let expected = batches[batchIndex].digest(for: seq) else {
                throw .badSignature("event \(page.origin)#\(seq) is not covered by a signed batch")
            }
            let actual = Array(SHA256.hash(data: item.canonical))
            guard actual == expected else { throw .badSignature("event \(page.origin)#\(seq) does not match its signed digest") }
            digests.append(actual)
        }
        return digests
    }
}
