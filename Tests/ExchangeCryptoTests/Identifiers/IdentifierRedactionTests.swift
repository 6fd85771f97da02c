import ExchangeCrypto
import Testing

/// The security rule: a raw identifier never appears in an error description or in a printed
/// `SubjectIdentifier`.
@Suite("Identifiers: nothing echoes the value")
struct IdentifierRedactionTests {
    typealias Support = IdentifierTestSupport

    /// Invalid inputs of every kind and every reason.
    static let rejected: [(IdentifierKind, String)] = [
        (.residentID, "110105194912310021"), (.residentID, "110105194913310023"), (.residentID, "11010519491231002Y"),
        (.residentID, "1101051949123100"), (.residentID, "110105491331002"),
        (.uscc, "91350100M000100Y44"), (.uscc, "9111000060003IOZSV"), (.uscc, "91350100M000100Y4"),
        (.phone, "12800138000"), (.phone, "+0 123456789"), (.phone, "138 0013 800a"), (.phone, "8613800138000"),
        (.bankCard, "6222020200112233447"), (.bankCard, "62220202001122334460"), (.bankCard, "622202020011a233446"),
        (.email, "seller138001@localhost"), (.email, "seller 138001@example.com"), (.email, "seller138001"),
        (.domain, "shop138001"), (.domain, "shop 138001.com"), (.domain, "1.2.3.4"),
        (.app, "shop138001"), (.app, "com.shop 138001"),
        (.account, "seller138001"), (.account, "taobao:seller 138001"),
    ]

    @Test("no error description contains the input or a run of its digits", arguments: rejected)
    func descriptions(kind: IdentifierKind, raw: String) {
        do {
            _ = try SubjectIdentifier(kind: kind, parsing: raw)
            Issue.record("\(kind.rawValue) vector was accepted")
        } catch {
            expectNoEcho(of: raw, in: error.description)
            expectNoEcho(of: raw, in: String(describing: error))
            expectNoEcho(of: raw, in: String(reflecting: error))
        }
    }

    @Test("generated wrong resident IDs and phones are never echoed")
    func generated() {
        var rng = Support.SeededGenerator(seed: 404)
        for _ in 0..<200 {
            let body = Support.residentIDBody(using: &rng)
            let check = Support.residentIDCheck(body)
            let wrong = "0123456789X".first { $0 != check }!
            let id = body + String(wrong)
            let idError = error(.residentID, id)
            #expect(idError?.reason == .checkCharacter)
            expectNoEcho(of: id, in: idError?.description ?? "")

            let phone = "12" + Support.digits(9, using: &rng)
            let phoneError = error(.phone, phone)
            #expect(phoneError?.reason == .notMainlandMobile)
            expectNoEcho(of: phone, in: phoneError?.description ?? "")
        }
    }

    @Test("printing a SubjectIdentifier shows only its kind")
    func printedIdentifier() throws {
        let id = try SubjectIdentifier(kind: .residentID, parsing: "11010519491231002X")
        var dumped = ""
        dump(id, to: &dumped)
        for text in ["\(id)", String(describing: id), String(reflecting: id), dumped, "\([id])"] {
            #expect(text.contains("resident-id"))
            expectNoEcho(of: id.canonical, in: text)
        }
    }

    private func error(_ kind: IdentifierKind, _ raw: String) -> IdentifierError? {
        do {
            _ = try SubjectIdentifier(kind: kind, parsing: raw)
            return nil
        } catch {
            return error
        }
    }

    /// Neither the trimmed input nor any 6 consecutive digits of it (after folding full-width
    /// digits) occur in `text`.
    private func expectNoEcho(of raw: String, in text: String, sourceLocation: SourceLocation = #_sourceLocation) {
        let trimmed = String(raw.drop(while: \.isWhitespace).reversed().drop(while: \.isWhitespace).reversed())
        #expect(!text.contains(trimmed), "description echoes the input", sourceLocation: sourceLocation)
        let digits = Array(raw.unicodeScalars.compactMap { scalar -> Character? in
            let value = scalar.value >= 0xFF10 && scalar.value <= 0xFF19 ? scalar.value - 0xFEE0 : scalar.value
            return (0x30...0x39).contains(value) ? Character(Unicode.Scalar(value)!) : nil
        })
        guard digits.count >= 6 else { return }
        for start in 0...(digits.count - 6) {
            let window = String(digits[start..<start + 6])
            #expect(!text.contains(window), "description contains digits of the input", sourceLocation: sourceLocation)
        }
    }
}
