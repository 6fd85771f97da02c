import ExchangeCrypto
import Testing

@Suite("Identifiers: bank-card")
struct BankCardTests {
    typealias Support = IdentifierTestSupport

    @Test("messy valid input gives the canonical form", arguments: [
        ("6222020200112233446", "6222020200112233446"),
        ("6222 0202 0011 2233 446", "6222020200112233446"),
        ("6222-0202-0011-2233-446", "6222020200112233446"),
        ("６２２２０２０２００１１２２３３４４６", "6222020200112233446"),
        ("4111 1111 1111 1111", "4111111111111111"),
        ("3782 822463 10005", "378282246310005"),
        ("5555555555554444", "5555555555554444"),
        ("\t4111111111111111 ", "4111111111111111"),
    ])
    func valid(raw: String, expected: String) {
        #expect(Support.canonical(.bankCard, raw) == expected)
    }

    @Test("invalid input gives the expected reason", arguments: [
        ("", IdentifierError.Reason.empty),
        ("6222020200112233447", .checkCharacter),
        ("4111111111111112", .checkCharacter),
        ("12345678903", .badLength(expected: "12 to 19 digits", actual: 11)),
        ("62220202001122334460", .badLength(expected: "12 to 19 digits", actual: 20)),
        ("6222 0202 001A 2233 446", .badCharacter(position: 14)),
        ("6222/0202/0011/2233/446", .badCharacter(position: 5)),
    ])
    func invalid(raw: String, expected: IdentifierError.Reason) {
        #expect(Support.reason(.bankCard, raw) == expected)
    }

    @Test("generated numbers of every length 12-19 are accepted; wrong check digits are rejected")
    func generated() {
        var rng = Support.SeededGenerator(seed: 0x1A4)
        for length in 12...19 {
            for _ in 0..<40 {
                let payload = "62" + Support.digits(length - 3, using: &rng)
                let check = Support.luhnCheck(payload)
                #expect(Support.canonical(.bankCard, payload + String(check)) == payload + String(check))
                for wrong in "0123456789" where wrong != check {
                    #expect(Support.reason(.bankCard, payload + String(wrong)) == .checkCharacter)
                }
            }
        }
    }
}
