import Crypto

/// The `keyed-hash` scheme: HMAC-SHA256 under the alliance key of one epoch, over the
/// domain-separated encoding of (kind, canonical value).
///
/// The HMAC key state (inner and outer pads) is computed once; each call copies it,
/// which is what makes this ~2.5× faster than one-shot `HMAC.authenticationCode`.
/// A value of this type is cheap to copy: give each worker thread its own copy.
public struct KeyedHashTokenizer: SubjectTokenizer {
    public static let label: StaticString = "exchange-node/token/keyed-hash/v1"

    public let descriptor: TokenSchemeDescriptor
    private let prepared: HMAC<SHA256>

    public init(key: AllianceTokenKey) {
        self.descriptor = key.descriptor
        self.prepared = HMAC<SHA256>(key: SymmetricKey(data: key.key))
    }

    @inlinable
    public func token(for identifier: SubjectIdentifier) -> Token {
        TokenInput.withEncoding(label: Self.label, identifier: identifier) { input in
            tokenOfEncodedInput(input)
        }
    }

    @usableFromInline
    func tokenOfEncodedInput(_ input: UnsafeRawBufferPointer) -> Token {
        var mac = prepared
        mac.update(data: input)
        return mac.finalize().withUnsafeBytes { Token(unsafeBytes: $0) }
    }
}
