/// A token: the 32-byte keyed (or masked) image of one subject identifier.
///
/// Tokens are what crosses the network instead of identifiers. The value is held as
/// four big-endian 64-bit words so that it hashes, compares and sorts without allocation;
/// ``fingerprint`` (the first word) is what the in-memory screening index keys on.
public struct Token: Hashable, Comparable, Sendable {
    public static let byteCount = 32

    public let w0: UInt64
    public let w1: UInt64
    public let w2: UInt64
    public let w3: UInt64

    public init(w0: UInt64, w1: UInt64, w2: UInt64, w3: UInt64) {
        self.w0 = w0
        self.w1 = w1
        self.w2 = w2
        self.w3 = w3
    }

    /// Reads 32 bytes; returns nil for any other length.
    public init?(bytes: some Collection<UInt8>) {
        guard bytes.count == Token.byteCount else { return nil }
        var words: (UInt64, UInt64, UInt64, UInt64) = (0, 0, 0, 0)
        var index = 0
        for byte in bytes {
            let word = index / 8
            switch word {
            case 0: words.0 = words.0 << 8 | UInt64(byte)
            case 1: words.1 = words.1 << 8 | UInt64(byte)
            case 2: words.2 = words.2 << 8 | UInt64(byte)
            default: words.3 = words.3 << 8 | UInt64(byte)
            }
            index += 1
        }
        self.init(w0: words.0, w1: words.1, w2: words.2, w3: words.3)
    }

    /// Reads 32 bytes from raw memory (at least 32 bytes must be readable).
    @inlinable
    public init(unsafeBytes raw: UnsafeRawBufferPointer) {
        precondition(raw.count >= Token.byteCount)
        self.init(
            w0: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 0, as: UInt64.self)),
            w1: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 8, as: UInt64.self)),
            w2: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 16, as: UInt64.self)),
            w3: UInt64(bigEndian: raw.loadUnaligned(fromByteOffset: 24, as: UInt64.self))
        )
    }

    /// The 64-bit prefix used by the screening index.
    @inlinable public var fingerprint: UInt64 { w0 }

    /// The 32 bytes, big-endian word order.
    public var bytes: [UInt8] {
        var out = [UInt8]()
        out.reserveCapacity(Token.byteCount)
        for word in [w0, w1, w2, w3] {
            for shift in stride(from: 56, through: 0, by: -8) {
                out.append(UInt8(truncatingIfNeeded: word >> UInt64(shift)))
            }
        }
        return out
    }

    /// True for the all-zero value that a low-order X25519 input produces: never a valid token.
    public var isZero: Bool { w0 | w1 | w2 | w3 == 0 }

    /// Lower-case hex of the 32 bytes.
    public var hex: String { Hex.encode(bytes) }

    public static func < (lhs: Token, rhs: Token) -> Bool {
        (lhs.w0, lhs.w1, lhs.w2, lhs.w3) < (rhs.w0, rhs.w1, rhs.w2, rhs.w3)
    }
}
