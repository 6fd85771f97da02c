import Crypto
import Foundation

/// The `ecdh-x25519` publishing tokenizer: `X25519(own key, H(x))`.
public struct PairwiseTokenizer: SubjectTokenizer {
    public let key: PairwiseMaskingKey

    public init(key: PairwiseMaskingKey) { self.key = key }

    public var descriptor: TokenSchemeDescriptor { key.descriptor }

    /// An all-zero H(x) has probability 2⁻²⁵⁶; should it ever occur, the zero token is published
    /// and every receiver refuses it.
    public func token(for identifier: SubjectIdentifier) -> Token {
        (try? key.mask(PairwiseMaskingKey.point(for: identifier))) ?? Token(w0: 0, w1: 0, w2: 0, w3: 0)
    }
}
