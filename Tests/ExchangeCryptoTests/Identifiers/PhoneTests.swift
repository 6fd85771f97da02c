import ExchangeCrypto
import Testing

@Suite("Identifiers: phone")
struct PhoneTests {
    typealias Support = IdentifierTestSupport

    @Test("mainland mobiles in every common spelling give +86 E.164", arguments: [
        "13800138000", "138 0013 8000", "138-0013-8000", "138.0013.8000", "+8613800138000",
        "+86 138 0013 8000", "+86-138-0013-8000", "+86\t13800138000", "008613800138000",
        "0086 138 0013 8000", "00 86 138-0013-8000", "(+86) 138 0013 8000", "+(86) 13800138000",
        "(0086)13800138000", "１３８００１３８０００", "＋８６　１３８－００１３－８０００",
        "\u{00A0}13800138000\u{3000}", "138\u{2010}0013\u{2010}8000", "  +86 (138) 0013 8000  ",
    ])
    func mainland(raw: String) {
        #expect(Support.canonical(.phone, raw) == "+8613800138000")
    }

    @Test("other valid numbers", arguments: [
        ("19912345678", "+8619912345678"),
        ("16612345678", "+8616612345678"),
        ("+86 177 1234 5678", "+8617712345678"),
        ("+1 (415) 555-2671", "+14155552671"),
        ("+44 20 7946 0958", "+442079460958"),
        ("0044 20 7946 0958", "+442079460958"),
        ("+852 6123 4567", "+85261234567"),
        ("+886 912 345 678", "+886912345678"),
        ("+49 30 123456", "+4930123456"),
        ("+123456789012345", "+123456789012345"),
    ])
    func valid(raw: String, expected: String) {
        #expect(Support.canonical(.phone, raw) == expected)
    }

    @Test("invalid input gives the expected reason", arguments: [
        ("", IdentifierError.Reason.empty),
        (" ( ) - ", .empty),
        ("+", .notE164),
        ("00", .notE164),
        ("12800138000", .notMainlandMobile),
        ("10086", .notMainlandMobile),
        ("1380013800", .notMainlandMobile),
        ("138001380000", .notMainlandMobile),
        ("+86 128 0013 8000", .notMainlandMobile),
        ("+86 010 1234 5678", .notMainlandMobile),
        ("0086 1380013800", .notMainlandMobile),
        ("8613800138000", .notMainlandMobile),      // 86 without + or 00 is not a country code
        ("86-138-0013-8000", .notMainlandMobile),
        ("010-12345678", .notMainlandMobile),       // a landline, no country code
        ("+0 123456789", .notE164),
        ("+1 234 567", .notE164),
        ("+1234567890123456", .notE164),
        ("000123456789", .notE164),
        ("138 0013 800a", .badCharacter(position: 13)),
        ("+86+13800138000", .badCharacter(position: 4)),
        ("13800138000+", .badCharacter(position: 12)),
        ("电话13800138000", .badCharacter(position: 1)),
        ("138/0013/8000", .badCharacter(position: 4)),
    ])
    func invalid(raw: String, expected: IdentifierError.Reason) {
        #expect(Support.reason(.phone, raw) == expected)
    }

    @Test("every mainland mobile prefix 13-19 is accepted, 10-12 rejected")
    func prefixes() {
        var rng = Support.SeededGenerator(seed: 86)
        for second in 0...9 {
            let number = "1\(second)" + Support.digits(9, using: &rng)
            if second >= 3 {
                #expect(Support.canonical(.phone, number) == "+86" + number)
                #expect(Support.canonical(.phone, "+86 " + number) == "+86" + number)
            } else {
                #expect(Support.reason(.phone, number) == .notMainlandMobile)
            }
        }
    }
}
