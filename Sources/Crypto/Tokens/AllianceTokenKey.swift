import Crypto
import Foundation

/// The alliance's shared keyed-hash token key for one epoch, as `certs init` writes it
/// (`token-key.json`: `{"scheme":"keyed-hash","epoch":1,"key":"<base64>","created":"..."}`).
public struct AllianceTokenKey: Sendable, Codable, Equatable {
    public let scheme: TokenSchemeID
    public let epoch: UInt32
    /// 32 random bytes, base64 on disk.
    public let key: Data
    public let created: String

    public init(epoch: UInt32, key: Data, created: String) {
        self.scheme = .keyedHash
        self.epoch = epoch
        self.key = key
        self.created = created
    }

    /// A fresh random key for `epoch`.
    public static func generate(epoch: UInt32, created: String) -> AllianceTokenKey {
        let key = SymmetricKey(size: .bits256).withUnsafeBytes { Data($0) }
        return AllianceTokenKey(epoch: epoch, key: key, created: created)
    }

    /// SHA-256 of the key bytes, first 8 bytes in hex: safe to print and compare.
    public var fingerprint: String {
        Hex.encode(SHA256.hash(data: key).prefix(8))
    }

    public var descriptor: TokenSchemeDescriptor { TokenSchemeDescriptor(scheme: .keyedHash, epoch: epoch) }
}
