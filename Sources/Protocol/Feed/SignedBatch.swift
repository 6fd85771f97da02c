import Crypto

/// A signature by an origin node over the digests of a run of its consecutive events
/// (`firstSeq ..< firstSeq + digests.count`). Verifying one signature vouches for every event
/// in the run, and any single event can still be checked against its digest.
public struct SignedBatch: Sendable, Equatable {
    public let origin: String
    public let firstSeq: UInt64
    /// 32-byte SHA-256 digests, one per event, in sequence order.
    public let digests: [[UInt8]]
    /// DER-encoded ECDSA P-256 / SHA-256 signature.
    public let signature: [UInt8]

    public var lastSeq: UInt64 { firstSeq + UInt64(digests.count) - 1 }

    public init(origin: String, firstSeq: UInt64, digests: [[UInt8]], signature: [UInt8]) {
        self.origin = origin
        self.firstSeq = firstSeq
        self.digests = digests
        self.signature = signature
    }

    /// Signs `digests` as the run starting at `firstSeq`.
    public static func sign(
        origin: String, firstSeq: UInt64, digests: [[UInt8]], key: P256.Signing.PrivateKey
    ) throws -> SignedBatch {
        let message = signedMessage(origin: origin, firstSeq: firstSeq, digests: digests)
        let signature = try key.signature(for: message)
        return SignedBatch(origin: origin, firstSeq: firstSeq, digests: digests, signature: Array(signature.derRepresentation))
    }

    /// Checks the signature with the origin's public key.
    public func verify(publicKey: P256.Signing.PublicKey) throws(WireError) {
        guard let signature = try? P256.Signing.ECDSASignature(derRepresentation: signature) else {
            throw .badSignature("batch \(origin)#\(firstSeq): signature is not DER")
        }
        let message = Self.signedMessage(origin: origin, firstSeq: firstSeq, digests: digests)
        guard publicKey.isValidSignature(signature, for: message) else {
            throw .badSignature("batch \(origin)#\(firstSeq)...\(lastSeq)")
        }
    }

    /// The digest the batch holds for `seq`, if it covers it.
    public func digest(for seq: UInt64) -> [UInt8]? {
        guard seq >= firstSeq, seq <= lastSeq else { return nil }
        return digests[Int(seq - firstSeq)]
    }

    static func signedMessage(origin: String, firstSeq: UInt64, digests: [[UInt8]]) -> [UInt8] {
        var writer = ByteWriter(capacity: 64 + digests.count * 32)
        writer.raw(Array("exchange-node/batch/v1".utf8))
        writer.string(origin)
        writer.u64(firstSeq)
        writer.varint(UInt64(digests.count))
        for digest in digests { writer.raw(digest) }
        return writer.bytes
    }

    /// The batch's own wire form (inside a feed page).
    func write(to writer: inout ByteWriter) {
        writer.u64(firstSeq)
        writer.varint(UInt64(digests.count))
        for digest in digests { writer.raw(digest) }
        writer.data(signature)
    }

    static func read(from reader: inout ByteReader, origin: String, limits: WireLimits) throws(WireError) -> SignedBatch {
        let firstSeq = try reader.u64("batch first seq")
        let count = try reader.varint("batch size")
        guard count >= 1, count <= UInt64(limits.maxEventsPerBatch) else {
            throw .oversized("events per batch", limit: limits.maxEventsPerBatch)
        }
        guard firstSeq >= 1, firstSeq - 1 <= WireLimits.maxSequence - count else { throw .malformed("batch sequence out of range") }
        var digests = [[UInt8]]()
        digests.reserveCapacity(Int(count))
        for _ in 0..<count { digests.append(Array(try reader.raw("batch digest", count: 32))) }
        let signature = Array(try reader.data("batch signature", limit: 128))
        return SignedBatch(origin: origin, firstSeq: firstSeq, digests: digests, signature: signature)
    }
}
