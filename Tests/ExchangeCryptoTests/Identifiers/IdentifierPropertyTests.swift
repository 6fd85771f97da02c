import ExchangeCrypto
import Testing

/// Properties over random messy input: parsing never traps, a canonical form parses to itself,
/// and rejections never carry digits of the input.
@Suite("Identifiers: properties over random input")
struct IdentifierPropertyTests {
    typealias Support = IdentifierTestSupport

    /// Characters people paste, plus ones that should be rejected.
    static let pool: [Character] = Array("0123456789Xx+-.@:() _abcZ")
        + ["１", "８", "Ｘ", "＋", "－", "。", "．", "＠", "：", "\u{3000}", "\u{00A0}", "\u{2014}", "\u{200B}",
           "例", "中", "ü", "e\u{301}", "\u{200D}", "\u{7}", "\t", "😀", "\u{E000}", "\u{212A}", "/", "?", "#"]

    static func randomInput(using rng: inout Support.SeededGenerator) -> String {
        let length = Int.random(in: 0...24, using: &rng)
        return String((0..<length).map { _ in pool.randomElement(using: &rng)! })
    }

    @Test("canonical forms are fixed points; errors carry no digits", arguments: IdentifierKind.allCases)
    func fixedPoints(kind: IdentifierKind) {
        var rng = Support.SeededGenerator(seed: UInt64(kind.code) * 7919)
        var accepted = 0
        for round in 0..<4_000 {
            // Every fourth input starts from a valid shape so that acceptance is exercised too.
            let raw = round % 4 == 0 ? Self.validShape(kind, using: &rng) : Self.randomInput(using: &rng)
            do {
                let parsed = try SubjectIdentifier(kind: kind, parsing: raw)
                accepted += 1
                let again = try? SubjectIdentifier(kind: kind, parsing: parsed.canonical)
                #expect(again == parsed, "canonical form of a \(kind.rawValue) is not a fixed point")
            } catch {
                let digits = String(raw.unicodeScalars.filter { $0.properties.numericType == .decimal }.map(Character.init))
                if digits.count >= 6 {
                    #expect(!error.description.contains(digits))
                }
            }
        }
        #expect(accepted > 0)
    }

    static func validShape(_ kind: IdentifierKind, using rng: inout Support.SeededGenerator) -> String {
        let messy = [" ", "-", "\u{3000}", ""].randomElement(using: &rng)!
        switch kind {
        case .residentID:
            let body = Support.residentIDBody(using: &rng)
            return body.prefix(6) + messy + body.dropFirst(6) + String(Support.residentIDCheck(body))
        case .uscc:
            let body = Support.usccBody(using: &rng)
            return (body + String(Support.usccCheck(body))).lowercased()
        case .phone:
            return "+86" + messy + "1" + String(Int.random(in: 3...9, using: &rng)) + Support.digits(9, using: &rng)
        case .bankCard:
            let payload = "4" + Support.digits(14, using: &rng)
            return payload + messy + String(Support.luhnCheck(payload))
        case .email:
            return "A" + Support.digits(3, using: &rng) + ["@例子.中国", "@Example.COM", "＠ｅｘａｍｐｌｅ．ｃｎ"].randomElement(using: &rng)!
        case .domain:
            return ["https://", "", "//"].randomElement(using: &rng)! + "Shop" + Support.digits(2, using: &rng) + ".例子.com/x"
        case .app:
            return "Com.Example.app" + Support.digits(2, using: &rng)
        case .account:
            return "TaoBao : Seller" + Support.digits(4, using: &rng) + ["", "é", "e\u{301}"].randomElement(using: &rng)!
        }
    }
}
