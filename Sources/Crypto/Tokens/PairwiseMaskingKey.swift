import Crypto
import Foundation

/// A member's secret for the pairwise scheme (`ecdh-x25519`): an X25519 scalar with an epoch.
///
/// Masking is X25519 scalar multiplication of a u-coordinate: `mask(p) = X25519(k, p)`. It is
/// commutative, so `X25519(a, X25519(b, H)) == X25519(b, X25519(a, H))`: two members each mask
/// once and compare. Only swift-crypto's Curve25519 key agreement is used. swift-crypto accepts
/// low-order inputs and then returns all zeros without an error; ``mask(_:)`` refuses an all-zero
/// input or result, wherever the value came from.
public struct PairwiseMaskingKey: Sendable {
    public let epoch: UInt32
    let key: Curve25519.KeyAgreement.PrivateKey

    public init(epoch: UInt32, rawRepresentation: Data) throws(MaskingError) {
        guard let key = try? Curve25519.KeyAgreement.PrivateKey(rawRepresentation: rawRepresentation) else {
            throw .badKey
        }
        self.epoch = epoch
        self.key = key
    }

    public static func generate(epoch: UInt32) -> PairwiseMaskingKey {
        let raw = Curve25519.KeyAgreement.PrivateKey().rawRepresentation
        return try! PairwiseMaskingKey(epoch: epoch, rawRepresentation: raw)
    }

    public var rawRepresentation: Data { key.rawRepresentation }

    public var descriptor: TokenSchemeDescriptor { TokenSchemeDescriptor(scheme: .ecdhX25519, epoch: epoch) }

    /// SHA-256 (first 8 bytes, hex) of the public value: safe to display.
    public var fingerprint: String {
        Hex.encode(SHA256.hash(data: key.publicKey.rawRepresentation).prefix(8))
    }

    /// `X25519(k, point)`; refuses an all-zero point or result.
    public func mask(_ point: Token) throws(MaskingError) -> Token {
        guard !point.isZero else { throw .zeroValue }
        let bytes = point.bytes
        guard let share = try? Curve25519.KeyAgreement.PublicKey(rawRepresentation: bytes),
              let secret = try? key.sharedSecretFromKeyAgreement(with: share) else {
            throw .zeroValue
        }
        let result = secret.withUnsafeBytes { Token(unsafeBytes: $0) }
        guard !result.isZero else { throw .zeroValue }
        return result
    }

    /// H(x): SHA-256 of the domain-separated (kind, canonical) encoding, used as a u-coordinate.
    public static func point(for identifier: SubjectIdentifier) -> Token {
        TokenInput.withEncoding(label: "exchange-node/token/ecdh-x25519/v1", identifier: identifier) { input in
            SHA256.hash(data: input).withUnsafeBytes { Token(unsafeBytes: $0) }
        }
    }
}

extension PairwiseMaskingKey {
    /// Masks many values on `threads` threads; a zero input or result fails the whole call.
    public func maskInParallel(_ points: [Token], threads: Int) throws(MaskingError) -> [Token] {
        let zero = Token(w0: 0, w1: 0, w2: 0, w3: 0)
        let out = ParallelChunks.map(count: points.count, threads: threads) { range in
            let key = self
            return points[range].map { (try? key.mask($0)) ?? zero }
        }
        if out.contains(where: \.isZero) { throw .zeroValue }
        return out
    }
}
