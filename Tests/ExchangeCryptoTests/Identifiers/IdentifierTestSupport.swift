import ExchangeCrypto
import Testing

/// Helpers for the identifier tests, plus check-character algorithms written independently of
/// the production parsers (explicit weight tables, forward sums) so generated vectors test them.
enum IdentifierTestSupport {
    /// The canonical form, or nil (with a recorded issue) when parsing fails.
    static func canonical(_ kind: IdentifierKind, _ raw: String) -> String? {
        do {
            return try SubjectIdentifier(kind: kind, parsing: raw).canonical
        } catch {
            Issue.record("\(kind.rawValue) vector rejected: \(error)")
            return nil
        }
    }

    /// The rejection reason, or nil (with a recorded issue) when parsing succeeds.
    static func reason(_ kind: IdentifierKind, _ raw: String) -> IdentifierError.Reason? {
        do {
            let parsed = try SubjectIdentifier(kind: kind, parsing: raw)
            Issue.record("\(kind.rawValue) vector accepted as \(parsed.canonical)")
            return nil
        } catch {
            #expect(error.kind == kind)
            return error.reason
        }
    }

    static func isMalformed(_ reason: IdentifierError.Reason?) -> Bool {
        if case .malformed = reason { return true }
        return false
    }

    // MARK: Reference check characters

    /// GB 11643-1999: ISO 7064 MOD 11-2 with the standard's weight table.
    static func residentIDCheck(_ first17: String) -> Character {
        let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]
        let digits = first17.map { $0.wholeNumberValue! }
        precondition(digits.count == 17)
        let sum = zip(digits, weights).map { $0 * $1 }.reduce(0, +)
        return Array("10X98765432")[sum % 11]
    }

    static let usccSymbols = Array("0123456789ABCDEFGHJKLMNPQRTUWXY")

    /// GB 32100-2015 with the standard's weight table.
    static func usccCheck(_ first17: String) -> Character {
        let weights = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]
        let values = first17.map { usccSymbols.firstIndex(of: $0)! }
        precondition(values.count == 17)
        let sum = zip(values, weights).map { $0 * $1 }.reduce(0, +)
        let check = 31 - sum % 31
        return usccSymbols[check == 31 ? 0 : check]
    }

    /// Luhn check digit to append to `payload`.
    static func luhnCheck(_ payload: String) -> Character {
        var sum = 0
        for (offsetFromRight, character) in payload.reversed().enumerated() {
            var digit = character.wholeNumberValue!
            if offsetFromRight % 2 == 0 {  // these get doubled once the check digit is appended
                digit *= 2
                if digit > 9 { digit -= 9 }
            }
            sum += digit
        }
        return Character(String((10 - sum % 10) % 10))
    }

    // MARK: Generators

    /// A seeded generator (SplitMix64) so generated vectors are the same on every run.
    struct SeededGenerator: RandomNumberGenerator {
        var state: UInt64
        init(seed: UInt64) { state = seed }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static func digits(_ count: Int, using rng: inout SeededGenerator) -> String {
        String((0..<count).map { _ in Character(String(Int.random(in: 0...9, using: &rng))) })
    }

    /// 17 digits: random area, a random real birth date, random sequence.
    static func residentIDBody(using rng: inout SeededGenerator) -> String {
        let year = Int.random(in: 1900...2024, using: &rng)
        let month = Int.random(in: 1...12, using: &rng)
        let monthLengths = [31, isLeap(year) ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
        let day = Int.random(in: 1...monthLengths[month - 1], using: &rng)
        let area = String(Int.random(in: 1...8, using: &rng)) + digits(5, using: &rng)
        return area + String(year) + twoDigits(month) + twoDigits(day) + digits(3, using: &rng)
    }

    /// 17 symbols with digits at positions 3-8.
    static func usccBody(using rng: inout SeededGenerator) -> String {
        var body = ""
        for index in 0..<17 {
            let range = (2...7).contains(index) ? 0...9 : 0...30
            body.append(usccSymbols[Int.random(in: range, using: &rng)])
        }
        return body
    }

    static func twoDigits(_ value: Int) -> String {
        value < 10 ? "0\(value)" : String(value)
    }

    static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }

    /// Replaces the character at `offset`.
    static func replacing(_ text: String, at offset: Int, with character: Character) -> String {
        var characters = Array(text)
        characters[offset] = character
        return String(characters)
    }
}
