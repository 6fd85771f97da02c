/// The token schemes an alliance can choose between.
public enum TokenSchemeID: String, Sendable, Codable, Hashable, CaseIterable {
    /// HMAC-SHA256 under a key shared by all members (fast; every member can test candidates offline).
    case keyedHash = "keyed-hash"
    /// Pairwise X25519 masking (each member holds its own secret; testing needs the origin online).
    case ecdhX25519 = "ecdh-x25519"

    /// The one-byte code carried on the wire.
    public var code: UInt8 {
        switch self {
        case .keyedHash: 1
        case .ecdhX25519: 2
        }
    }

    public init?(code: UInt8) {
        switch code {
        case 1: self = .keyedHash
        case 2: self = .ecdhX25519
        default: return nil
        }
    }
}
