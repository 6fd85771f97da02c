import ExchangeCrypto
import Testing

@Suite("Identifiers: email")
struct EmailTests {
    typealias Support = IdentifierTestSupport

    @Test("messy valid input gives the canonical form", arguments: [
        ("seller@example.com", "seller@example.com"),
        ("Seller@Example.COM", "seller@example.com"),
        ("  seller@example.com \u{3000}", "seller@example.com"),
        ("ｓｅｌｌｅｒ＠ｅｘａｍｐｌｅ．ｃｏｍ", "seller@example.com"),
        ("seller@example.com.", "seller@example.com"),
        ("First.Last+Tag@Sub.Example.co.uk", "first.last+tag@sub.example.co.uk"),
        ("o'neil_2024@example.org", "o'neil_2024@example.org"),
        ("mailto:Seller@Example.com", "seller@example.com"),
        ("user@例子.中国", "user@xn--fsqu00a.xn--fiqs8s"),
        ("user@例子。中国", "user@xn--fsqu00a.xn--fiqs8s"),
        ("ÜNÏCODE@example.com", "ünïcode@example.com"),
        ("u\u{308}ser@example.com", "\u{FC}ser@example.com"),
        ("用户@example.cn", "用户@example.cn"),
        (String(repeating: "a", count: 64) + "@example.com", String(repeating: "a", count: 64) + "@example.com"),
    ])
    func valid(raw: String, expected: String) {
        #expect(Support.canonical(.email, raw) == expected)
    }

    @Test("invalid input gives the expected reason", arguments: [
        ("", IdentifierError.Reason.empty),
        ("\u{3000} ", .empty),
        ("sel ler@example.com", .badCharacter(position: 4)),
        ("sel\u{1}ler@example.com", .badCharacter(position: 4)),
        ("sel(ler@example.com", .badCharacter(position: 4)),
        ("seller@exa_mple.com", .badCharacter(position: 11)),
        ("seller@[10.0.0.1]", .badCharacter(position: 8)),
        ("sel\u{200D}ler@example.com", .badCharacter(position: 4)),
        (String(repeating: "a", count: 65) + "@example.com", .badLength(expected: "at most 64 bytes before '@'", actual: 65)),
        ("seller@" + String(repeating: "b", count: 64) + ".com", .badLength(expected: "1 to 63 characters per label", actual: 64)),
    ])
    func invalid(raw: String, expected: IdentifierError.Reason) {
        #expect(Support.reason(.email, raw) == expected)
    }

    @Test("structurally wrong input is malformed", arguments: [
        "seller", "seller@@example.com", "a@b@example.com", "@example.com", "seller@", ".seller@example.com",
        "seller.@example.com", "sel..ler@example.com", "seller@localhost", "seller@example..com",
        "seller@-example.com", "seller@10.0.0.1", "seller@.", "seller@xn--a.com",
    ])
    func malformed(raw: String) {
        #expect(Support.isMalformed(Support.reason(.email, raw)))
    }
}
