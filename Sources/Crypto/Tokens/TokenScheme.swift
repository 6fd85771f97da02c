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

/// Which scheme and key epoch produced a token. Tokens of different descriptors never match.
public struct TokenSchemeDescriptor: Hashable, Sendable, Codable, CustomStringConvertible {
    public let scheme: TokenSchemeID
    public let epoch: UInt32

    public init(scheme: TokenSchemeID, epoch: UInt32) {
        self.scheme = scheme
        self.epoch = epoch
    }

    public var description: String { "\(scheme.rawValue)@\(epoch)" }
}

/// Turns a canonical subject identifier into its token. Callers depend on this protocol only,
/// so a new scheme slots in without touching them.
public protocol SubjectTokenizer: Sendable {
    var descriptor: TokenSchemeDescriptor { get }
    func token(for identifier: SubjectIdentifier) -> Token
}

extension SubjectTokenizer {
    /// Tokenises a batch on the calling thread.
    public func tokens(for identifiers: some Collection<SubjectIdentifier>) -> [Token] {
        var out = [Token]()
        out.reserveCapacity(identifiers.count)
        for identifier in identifiers { out.append(token(for: identifier)) }
        return out
    }
}

/// The domain-separated bytes that every scheme hashes for an identifier:
/// `label ‖ 0x00 ‖ kind code ‖ canonical UTF-8`. Written into a caller's buffer without allocating.
public enum TokenInput {
    /// Calls `body` with the encoding of `identifier` under `label` (an ASCII constant per scheme).
    @inlinable
    public static func withEncoding<R>(
        label: StaticString, identifier: SubjectIdentifier, _ body: (UnsafeRawBufferPointer) -> R
    ) -> R {
        var canonical = identifier.canonical
        return canonical.withUTF8 { value in
            let total = label.utf8CodeUnitCount + 2 + value.count
            return withUnsafeTemporaryAllocation(byteCount: total, alignment: 1) { buffer in
                let base = buffer.baseAddress!
                base.copyMemory(from: label.utf8Start, byteCount: label.utf8CodeUnitCount)
                var offset = label.utf8CodeUnitCount
                base.storeBytes(of: 0, toByteOffset: offset, as: UInt8.self)
                base.storeBytes(of: identifier.kind.code, toByteOffset: offset + 1, as: UInt8.self)
                offset += 2
                if let source = value.baseAddress, value.count > 0 {
                    (base + offset).copyMemory(from: source, byteCount: value.count)
                }
                return body(UnsafeRawBufferPointer(buffer))
            }
        }
    }
}
