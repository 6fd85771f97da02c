/// `email`: `local@host`, trimmed and lower-cased, the host canonicalised like `domain`.
///
/// Exactly one '@'; the local part is 1-64 bytes of RFC 5322 atext (or non-ASCII letters) with
/// dots only between non-empty parts. No spaces, no control characters, no quoted forms.
/// A leading `mailto:` (pasted from a link) is dropped.
enum EmailParser {
    static let maxLocalLength = 64

    static func canonicalize(_ input: UnsafeBufferPointer<UInt8>) throws(IdentifierError) -> String {
        let text = InputFolding.foldedText(input)
        var range = InputFolding.trimmed(text, 0..<text.count)
        if range.count > 7, text[range.prefix(7)].map(InputFolding.asciiLowercased) == Array("mailto:".utf8) {
            range = range.lowerBound + 7..<range.upperBound  // pasted from a link
        }
        guard !range.isEmpty else { throw IdentifierError(kind: .email, reason: .empty) }

        var at: Int?
        var atCount = 0
        for index in range {
            let byte = text[index]
            if byte == 0x40 {
                atCount += 1
                at = index
            } else if byte == InputFolding.space || InputFolding.isASCIIControl(byte) {
                throw badCharacter(at: index, in: text)
            }
        }
        guard atCount == 1, let at else {
            throw .malformed(.email, "an e-mail address needs exactly one '@'")
        }
        let local = range.lowerBound..<at
        guard !local.isEmpty else { throw .malformed(.email, "nothing before '@'") }
        guard local.count <= maxLocalLength else {
            throw IdentifierError(kind: .email, reason: .badLength(expected: "at most 64 bytes before '@'", actual: local.count))
        }
        var isASCII = true
        var index = local.lowerBound
        while index < local.upperBound {
            let byte = text[index]
            if byte < 0x80 {
                guard isAtext(byte) || byte == 0x2E else { throw badCharacter(at: index, in: text) }
                index += 1
                continue
            }
            isASCII = false
            let length = byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4
            let end = min(index + length, local.upperBound)
            guard let scalar = String(decoding: text[index..<end], as: UTF8.self).unicodeScalars.first,
                  scalar.value != 0xFFFD, !InputFolding.isDisallowedInText(scalar)
            else { throw badCharacter(at: index, in: text) }
            index = end
        }
        if text[local.lowerBound] == 0x2E || text[local.upperBound - 1] == 0x2E
            || local.dropFirst().contains(where: { text[$0] == 0x2E && text[$0 - 1] == 0x2E }) {
            throw .malformed(.email, "a dot before '@' is at the start or the end, or doubled")
        }
        let host = at + 1..<range.upperBound
        guard !host.isEmpty else { throw .malformed(.email, "nothing after '@'") }
        let canonicalHost = try HostName.canonicalize(text, host, kind: .email)

        let canonicalLocal: String
        if isASCII {
            canonicalLocal = String(decoding: text[local].map(InputFolding.asciiLowercased), as: UTF8.self)
        } else {
            canonicalLocal = UnicodeNormalization.lowercasedNFC(String(decoding: text[local], as: UTF8.self))
        }
        return canonicalLocal + "@" + canonicalHost
    }

    /// RFC 5322 atext: letters, digits and ! # $ % & ' * + - / = ? ^ _ ` { | } ~
    private static func isAtext(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x41...0x5A, 0x61...0x7A, 0x30...0x39: true
        case 0x21, 0x23, 0x24, 0x25, 0x26, 0x27, 0x2A, 0x2B, 0x2D, 0x2F, 0x3D, 0x3F, 0x5E, 0x5F, 0x60, 0x7B, 0x7C, 0x7D, 0x7E: true
        default: false
        }
    }

    private static func badCharacter(at index: Int, in text: [UInt8]) -> IdentifierError {
        IdentifierError(kind: .email, reason: .badCharacter(position: InputFolding.position(ofByte: index, in: text)))
    }
}
