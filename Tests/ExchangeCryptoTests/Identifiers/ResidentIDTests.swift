import ExchangeCrypto
import Testing

@Suite("Identifiers: resident-id")
struct ResidentIDTests {
    typealias Support = IdentifierTestSupport

    @Test("messy valid input gives the canonical form", arguments: [
        ("11010519491231002X", "11010519491231002X"),
        ("11010519491231002x", "11010519491231002X"),
        ("  110105 19491231 002X  ", "11010519491231002X"),
        ("110105-19491231-002x", "11010519491231002X"),
        ("110105.19491231.002X", "11010519491231002X"),
        ("１１０１０５１９４９１２３１００２Ｘ", "11010519491231002X"),
        ("１１０１０５１９４９１２３１００２ｘ", "11010519491231002X"),
        ("\u{00A0}110105\u{3000}19491231\u{2014}002X\t\n", "11010519491231002X"),
        ("110105491231002", "11010519491231002X"),  // 15-digit first generation, upgraded
        ("110105 491231 002", "11010519491231002X"),
    ])
    func valid(raw: String, expected: String) {
        #expect(Support.canonical(.residentID, raw) == expected)
    }

    @Test("invalid input gives the expected reason", arguments: [
        ("", IdentifierError.Reason.empty),
        ("  - . ", .empty),
        ("1101051949123100", .badLength(expected: "18 characters (or 15 digits for an old number)", actual: 16)),
        ("11010519491231002X1", .badLength(expected: "18 characters (or 15 digits for an old number)", actual: 19)),
        ("11010519491231002Y", .badCharacter(position: 18)),
        ("1101051949123100X2", .badCharacter(position: 17)),
        ("110105A9491231002X", .badCharacter(position: 7)),
        ("110105一9491231002X", .badCharacter(position: 7)),
        (" 110105 X94912310021", .badCharacter(position: 9)),
        ("11010549123100X", .badCharacter(position: 15)),
        ("110105194912310021", .checkCharacter),
        ("110105194912310020", .checkCharacter),
        ("110105194913310023", .invalidDate),  // month 13
        ("110105194902300027", .invalidDate),  // 30 February
        ("110105190002290021", .invalidDate),  // 1900 was not a leap year
        ("110105179912310022", .invalidDate),  // before 1800
        ("110105210101010028", .invalidDate),  // after 2100
        ("110105194912000025", .invalidDate),  // day 0
        ("110105491331002", .invalidDate),     // 15-digit, month 13
    ])
    func invalid(raw: String, expected: IdentifierError.Reason) {
        #expect(Support.reason(.residentID, raw) == expected)
    }

    @Test("date edges: leap days and the 1800-2100 range")
    func dateEdges() {
        for date in ["20000229", "20240229", "18000101", "21001231", "19491231"] {
            let body = "110105" + date + "123"
            let id = body + String(Support.residentIDCheck(body))
            #expect(Support.canonical(.residentID, id) == id)
        }
        for date in ["19000229", "20230229", "20230431", "20231232", "20230001"] {
            let body = "110105" + date + "123"
            let id = body + String(Support.residentIDCheck(body))
            #expect(Support.reason(.residentID, id) == .invalidDate)
        }
    }

    @Test("generated numbers are accepted; every wrong check character is rejected")
    func generated() {
        var rng = Support.SeededGenerator(seed: 0x1D_1999)
        for _ in 0..<300 {
            let body = Support.residentIDBody(using: &rng)
            let check = Support.residentIDCheck(body)
            #expect(Support.canonical(.residentID, body + String(check)) == body + String(check))
            #expect(Support.canonical(.residentID, body + String(check).lowercased()) == body + String(check))
            for wrong in "0123456789X" where wrong != check {
                #expect(Support.reason(.residentID, body + String(wrong)) == .checkCharacter)
            }
        }
    }

    @Test("single substitutions and adjacent transpositions outside the date are detected")
    func errorDetection() {
        var rng = Support.SeededGenerator(seed: 11_643)
        let positions = Array(0..<6) + Array(14..<17)
        for _ in 0..<100 {
            let body = Support.residentIDBody(using: &rng)
            let id = body + String(Support.residentIDCheck(body))
            let characters = Array(id)
            for position in positions {
                let original = characters[position]
                for digit in "0123456789" where digit != original {
                    #expect(Support.reason(.residentID, Support.replacing(id, at: position, with: digit)) == .checkCharacter)
                }
            }
            for position in [0, 1, 2, 3, 4, 14, 15] where characters[position] != characters[position + 1] {
                var swapped = characters
                swapped.swapAt(position, position + 1)
                #expect(Support.reason(.residentID, String(swapped)) == .checkCharacter)
            }
        }
    }

    @Test("15-digit numbers upgrade to the 18-digit number with century 19 and a computed check")
    func upgrade() {
        var rng = Support.SeededGenerator(seed: 15)
        for _ in 0..<200 {
            let body = Support.residentIDBody(using: &rng)
            guard body.dropFirst(6).hasPrefix("19") else { continue }
            let old = String(body.prefix(6)) + String(body.dropFirst(8))
            #expect(old.count == 15)
            #expect(Support.canonical(.residentID, old) == body + String(Support.residentIDCheck(body)))
        }
    }
}
