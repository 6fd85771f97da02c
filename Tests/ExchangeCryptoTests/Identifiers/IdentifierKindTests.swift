import ExchangeCrypto
import Testing

@Suite("Identifiers: kinds and the identifier value")
struct IdentifierKindTests {
    @Test("codes are the assigned ones and round-trip")
    func codes() {
        let expected: [IdentifierKind: UInt8] = [
            .uscc: 1, .residentID: 2, .phone: 3, .email: 4, .domain: 5, .bankCard: 6, .app: 7, .account: 8,
        ]
        #expect(IdentifierKind.allCases.count == expected.count)
        for kind in IdentifierKind.allCases {
            #expect(kind.code == expected[kind])
            #expect(IdentifierKind(code: kind.code) == kind)
        }
        #expect(IdentifierKind(code: 0) == nil)
        #expect(IdentifierKind(code: 9) == nil)
        #expect(IdentifierKind(code: 255) == nil)
    }

    @Test("raw values are the names DOMAIN.md uses")
    func names() {
        #expect(IdentifierKind.allCases.map(\.rawValue)
            == ["uscc", "resident-id", "phone", "email", "domain", "bank-card", "app", "account"])
        #expect(IdentifierKind(rawValue: "resident-id") == .residentID)
        #expect(IdentifierKind(rawValue: "bank-card") == .bankCard)
    }

    @Test("equal subjects typed differently are equal values with equal bytes")
    func equality() throws {
        let a = try SubjectIdentifier(kind: .phone, parsing: "138 0013 8000")
        let b = try SubjectIdentifier(kind: .phone, parsing: "+86-138-0013-8000")
        let c = try SubjectIdentifier(kind: .phone, parsing: "１３８００１３８０００"[...])
        #expect(a == b && b == c)
        #expect(a.canonicalUTF8 == Array("+8613800138000".utf8))
        #expect(SubjectIdentifier(kind: .phone, uncheckedCanonical: "+8613800138000") == a)
        #expect(SubjectIdentifier(kind: .email, uncheckedCanonical: "+8613800138000") != a)
    }

    @Test("parsing a Substring works like parsing a String")
    func substring() throws {
        let line = "id=11010519491231002x;"
        let slice = line.dropFirst(3).dropLast()
        #expect(try SubjectIdentifier(kind: .residentID, parsing: slice).canonical == "11010519491231002X")
    }
}
