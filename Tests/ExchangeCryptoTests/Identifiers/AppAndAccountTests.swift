import ExchangeCrypto
import Testing

@Suite("Identifiers: app and account")
struct AppAndAccountTests {
    typealias Support = IdentifierTestSupport

    @Test("app ids give the canonical form", arguments: [
        ("com.example.shop", "com.example.shop"),
        ("  Com.Example.Shop ", "com.example.shop"),
        ("ｃｏｍ．ｅｘａｍｐｌｅ．ｓｈｏｐ", "com.example.shop"),
        ("com.tencent.mm", "com.tencent.mm"),
        ("com.ss.android.ugc.aweme", "com.ss.android.ugc.aweme"),
        ("io.github.some_app", "io.github.some_app"),
        ("com.example-app.ios", "com.example-app.ios"),
        ("cn.12306.app", "cn.12306.app"),
    ])
    func validApp(raw: String, expected: String) {
        #expect(Support.canonical(.app, raw) == expected)
    }

    @Test("invalid app ids give the expected reason", arguments: [
        ("", IdentifierError.Reason.empty),
        ("com.exa mple", .badCharacter(position: 8)),
        ("com.例子", .badCharacter(position: 5)),
        ("com/example", .badCharacter(position: 4)),
        ("com." + String(repeating: "a", count: 252), .badLength(expected: "at most 255 characters", actual: 256)),
    ])
    func invalidApp(raw: String, expected: IdentifierError.Reason) {
        #expect(Support.reason(.app, raw) == expected)
    }

    @Test("structurally wrong app ids are malformed", arguments: [
        "shop", "com..example", ".com.example", "com.example.", "com._example", "com.-example",
    ])
    func malformedApp(raw: String) {
        #expect(Support.isMalformed(Support.reason(.app, raw)))
    }

    @Test("accounts give the canonical form", arguments: [
        ("Taobao:seller123", "taobao:seller123"),
        (" JD : SellerABC ", "jd:SellerABC"),
        ("weibo:用户名", "weibo:用户名"),
        ("Pinduoduo：shop_1", "pinduoduo:shop_1"),
        ("douyin:ＡＢＣ", "douyin:ABC"),
        ("taobao:a:b", "taobao:a:b"),
        ("tmall.shop:X", "tmall.shop:X"),
        ("weibo:e\u{301}", "weibo:\u{E9}"),
        ("we-chat_2:id", "we-chat_2:id"),
    ])
    func validAccount(raw: String, expected: String) {
        #expect(Support.canonical(.account, raw) == expected)
    }

    @Test("invalid accounts give the expected reason", arguments: [
        ("", IdentifierError.Reason.empty),
        ("tao bao:seller", .badCharacter(position: 4)),
        ("taobao:sel ler", .badCharacter(position: 11)),
        ("淘宝:seller", .badCharacter(position: 1)),
        ("taobao:sel\u{200B}ler", .badCharacter(position: 11)),
        ("taobao:a\u{7}b", .badCharacter(position: 9)),
        ("taobao:a\u{200E}b", .badCharacter(position: 9)),
        (String(repeating: "p", count: 65) + ":x", .badLength(expected: "at most 64 characters of platform", actual: 65)),
        ("taobao:" + String(repeating: "h", count: 257), .badLength(expected: "at most 256 bytes of handle", actual: 257)),
    ])
    func invalidAccount(raw: String, expected: IdentifierError.Reason) {
        #expect(Support.reason(.account, raw) == expected)
    }

    @Test("structurally wrong accounts are malformed", arguments: ["seller123", ":seller", "taobao:", " : "])
    func malformedAccount(raw: String) {
        #expect(Support.isMalformed(Support.reason(.account, raw)))
    }
}
