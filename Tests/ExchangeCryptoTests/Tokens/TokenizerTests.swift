import Crypto
import ExchangeCrypto
import Foundation
import Testing

@Suite struct TokenizerTests {
    let key = AllianceTokenKey(epoch: 3, key: Data((0..<32).map { UInt8($0) }), created: "t")

    @Test func tokenIsHMACOverTheDomainSeparatedEncoding() throws {
        let identifier = try SubjectIdentifier(kind: .phone, parsing: "138 0013 8000")
        var input = Array("exchange-node/token/keyed-hash/v1".utf8)
        input += [0, IdentifierKind.phone.code] + Array("+8613800138000".utf8)
        let expected = Array(HMAC<SHA256>.authenticationCode(for: input, using: SymmetricKey(data: key.key)))
        #expect(KeyedHashTokenizer(key: key).token(for: identifier).bytes == expected)
        #expect(KeyedHashTokenizer(key: key).descriptor == TokenSchemeDescriptor(scheme: .keyedHash, epoch: 3))
    }

    @Test func messySpellingsGiveOneTokenAndKindsAreSeparated() throws {
        let tokenizer = KeyedHashTokenizer(key: key)
        let a = tokenizer.token(for: try SubjectIdentifier(kind: .phone, parsing: "+86 138-0013-8000"))
        let b = tokenizer.token(for: try SubjectIdentifier(kind: .phone, parsing: "0086１３８００１３８０００"))
        #expect(a == b)
        let asAccount = tokenizer.token(for: SubjectIdentifier(kind: .account, uncheckedCanonical: "+8613800138000"))
        #expect(a != asAccount)
    }

    @Test func parallelTokenisingEqualsSerial() throws {
        let tokenizer = KeyedHashTokenizer(key: key)
        let identifiers = (0..<5000).map { SubjectIdentifier(kind: .phone, uncheckedCanonical: "+86139\(String(format: "%08d", $0))") }
        #expect(tokenizer.tokensInParallel(for: identifiers, threads: 2) == tokenizer.tokens(for: identifiers))
    }
}
