import ExchangeCrypto
import Testing

@Suite("Identifiers: uscc")
struct USCCTests {
    typealias Support = IdentifierTestSupport

    /// Codes of real organisations, as published (DOMAIN.md's example first).
    static let realCodes = [
        "91350100M000100Y43", "91440300708461136T", "914403001922038216", "91110000802100433B",
        "91330100799655058B", "91110000600037341L", "121200004013590816", "91110000710926094P",
        "91120224064012553U", "911522010783710635", "9115220107837757XE", "91310000631696382C",
        "91310115MA1K3BTP2B", "9131012056010553X5", "91320214745555318W", "91340600MA2PBM9HXD",
        "91420684MA4927PJ7B", "9144030071526726XG", "91620105L015101280", "91620105MA73NBBLXE",
        "92340602MA2PBMEM24", "92340603MA2PBQ16XJ", "92340621MA2UK3PJXE", "92340604MA2UK0015N",
    ]

    @Test("real codes are accepted unchanged", arguments: realCodes)
    func realCode(code: String) {
        #expect(Support.canonical(.uscc, code) == code)
    }

    @Test("messy valid input gives the canonical form", arguments: [
        ("91350100m000100y43", "91350100M000100Y43"),
        (" 9135 0100 M000 100Y 43 ", "91350100M000100Y43"),
        ("91-350100-M000100Y4-3", "91350100M000100Y43"),
        ("９１３５０１００Ｍ０００１００Ｙ４３", "91350100M000100Y43"),
        ("９１３５０１００ｍ０００１００ｙ４３", "91350100M000100Y43"),
        ("\u{3000}91350100M000100Y43\u{00A0}", "91350100M000100Y43"),
    ])
    func valid(raw: String, expected: String) {
        #expect(Support.canonical(.uscc, raw) == expected)
    }

    @Test("invalid input gives the expected reason", arguments: [
        ("", IdentifierError.Reason.empty),
        ("91350100M000100Y4", .badLength(expected: "18 characters", actual: 17)),
        ("91350100M000100Y433", .badLength(expected: "18 characters", actual: 19)),
        ("91350100M000100Y44", .checkCharacter),
        ("91350100M000100Y34", .checkCharacter),
        ("9111000060003IOZSV", .badCharacter(position: 14)),
        ("91 110000 600037341O", .badCharacter(position: 20)),
        ("91A50100M000100Y43", .badCharacter(position: 3)),
        ("913501000M00100Y4#", .badCharacter(position: 18)),
        ("91350100M000100Y4３#", .badCharacter(position: 19)),
        ("统一91350100M000100Y43", .badCharacter(position: 1)),
        // Issued by an early pilot before the standard; its check character does not match.
        ("91350100M0001TGQXM", .checkCharacter),
    ])
    func invalid(raw: String, expected: IdentifierError.Reason) {
        #expect(Support.reason(.uscc, raw) == expected)
    }

    @Test("generated codes are accepted; every single substitution is detected")
    func generated() {
        var rng = Support.SeededGenerator(seed: 32_100)
        for _ in 0..<150 {
            let body = Support.usccBody(using: &rng)
            let code = body + String(Support.usccCheck(body))
            #expect(Support.canonical(.uscc, code.lowercased()) == code)
            let characters = Array(code)
            for position in 0..<18 {
                let choices = (2...7).contains(position) ? Array("0123456789") : Support.usccSymbols
                let replacement = choices.filter { $0 != characters[position] }.randomElement(using: &rng)!
                #expect(Support.reason(.uscc, Support.replacing(code, at: position, with: replacement)) == .checkCharacter)
            }
        }
    }
}
