import ExchangeCrypto
import Testing

@Suite("Identifiers: domain")
struct DomainTests {
    typealias Support = IdentifierTestSupport

    @Test("messy valid input gives the canonical form", arguments: [
        ("example.com", "example.com"),
        ("Example.COM", "example.com"),
        ("  example.com.  ", "example.com"),
        ("https://www.Example.com/path?q=1#top", "www.example.com"),
        ("HTTP://example.com:8080/", "example.com"),
        ("http://example.com?x", "example.com"),
        ("https://user:secret@shop.example.com/", "shop.example.com"),
        ("//cdn.example.com/lib.js", "cdn.example.com"),
        ("www.example.com", "www.example.com"),
        ("ｗｗｗ．ｅｘａｍｐｌｅ．ｃｏｍ", "www.example.com"),
        ("例子.中国", "xn--fsqu00a.xn--fiqs8s"),
        ("http://例子。中国/首页", "xn--fsqu00a.xn--fiqs8s"),
        ("例子｡中国", "xn--fsqu00a.xn--fiqs8s"),
        ("Bücher.example", "xn--bcher-kva.example"),
        ("BÜCHER.example", "xn--bcher-kva.example"),
        ("bu\u{308}cher.example", "xn--bcher-kva.example"),
        ("xn--bcher-kva.example", "xn--bcher-kva.example"),
        ("XN--BCHER-KVA.Example", "xn--bcher-kva.example"),
        ("münchen.de", "xn--mnchen-3ya.de"),
        ("a-b.example.com", "a-b.example.com"),
        ("123.example", "123.example"),
        ("taobao.com", "taobao.com"),
        ("淘宝.com", "xn--pbt173b.com"),
        ("\u{212A}iwi.example", "kiwi.example"),  // Kelvin sign lower-cases to ASCII k
    ])
    func valid(raw: String, expected: String) {
        #expect(Support.canonical(.domain, raw) == expected)
    }

    @Test("invalid input gives the expected reason", arguments: [
        ("", IdentifierError.Reason.empty),
        ("   ", .empty),
        ("exa mple.com", .badCharacter(position: 4)),
        ("exa_mple.com", .badCharacter(position: 4)),
        ("ex\u{200D}ample.com", .badCharacter(position: 3)),
        ("例子.中\u{E000}国", .badCharacter(position: 5)),
        (String(repeating: "a", count: 64) + ".com", .badLength(expected: "1 to 63 characters per label", actual: 64)),
        (Array(repeating: String(repeating: "a", count: 63), count: 4).joined(separator: ".") + ".com",
         .badLength(expected: "at most 253 characters in the host name", actual: 259)),
    ])
    func invalid(raw: String, expected: IdentifierError.Reason) {
        #expect(Support.reason(.domain, raw) == expected)
    }

    @Test("structurally wrong input is malformed", arguments: [
        "https://", "localhost", "example..com", ".example.com", "-example.com", "example-.com",
        "1.2.3.4", "seller@example.com", "example.com:abc", "example.com:123456", "[::1]",
        "xn--a.com", "xn--example-.com", "com", "example.com..",
    ])
    func malformed(raw: String) {
        #expect(Support.isMalformed(Support.reason(.domain, raw)))
    }

    @Test("a 253-character host is accepted")
    func longestHost() {
        let host = Array(repeating: String(repeating: "a", count: 63), count: 3).joined(separator: ".")
            + "." + String(repeating: "b", count: 61)
        #expect(host.utf8.count == 253)
        #expect(Support.canonical(.domain, host) == host)
    }
}
