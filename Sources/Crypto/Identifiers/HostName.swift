/// Canonical host names, shared by `domain` and the part of an `email` after '@'.
///
/// Labels are lower-cased; ASCII labels must follow the LDH rule (letters, digits, hyphen, not
/// at either end, 1-63 characters); a label with other characters is lower-cased, put in NFC and
/// written as an IDNA A-label `xn--` + Punycode. At least two labels, at most 253 characters,
/// one trailing dot dropped, and the last label not all digits (IP addresses are not names).
enum HostName {
    static let maxLength = 253
    static let maxLabelLength = 63

    /// The canonical host of `text[range]` (folded text); errors are reported as `kind`.
    static func canonicalize(_ text: [UInt8], _ range: Range<Int>, kind: IdentifierKind) throws(IdentifierError) -> String {
        var upper = range.upperBound
        if upper > range.lowerBound, text[upper - 1] == 0x2E { upper -= 1 }
        guard upper > range.lowerBound else {
            throw .malformed(kind, "no host name")
        }
        var labels: [String] = []
        var start = range.lowerBound
        while start <= upper {
            var end = start
            while end < upper, text[end] != 0x2E { end += 1 }
            guard end > start else {
                throw .malformed(kind, "empty label in the host name (a leading dot or two dots in a row)")
            }
            labels.append(try canonicalLabel(text, start..<end, kind: kind))
            start = end + 1
        }
        guard labels.count >= 2 else {
            throw .malformed(kind, "a host name needs at least two labels (a name and a top-level domain)")
        }
        if labels[labels.count - 1].utf8.allSatisfy(NumericCompaction.isDigit) {
            throw .malformed(kind, "the last label is all digits; IP addresses are not accepted as host names")
        }
        let host = labels.joined(separator: ".")
        let length = host.utf8.count
        guard length <= maxLength else {
            throw IdentifierError(kind: kind, reason: .badLength(expected: "at most 253 characters in the host name", actual: length))
        }
        return host
    }

    private static func canonicalLabel(_ text: [UInt8], _ range: Range<Int>, kind: IdentifierKind) throws(IdentifierError) -> String {
        if text[range].allSatisfy({ $0 < 0x80 }) {
            var label = [UInt8](repeating: 0, count: range.count)
            for (offset, index) in range.enumerated() {
                let byte = InputFolding.asciiLowercased(text[index])
                guard isLDH(byte) else {
                    throw IdentifierError(kind: kind, reason: .badCharacter(position: InputFolding.position(ofByte: index, in: text)))
                }
                label[offset] = byte
            }
            try checkASCIILabel(label, kind: kind)
            return String(decoding: label, as: UTF8.self)
        }
        // A Unicode label: check what was typed, then lower-case, compose, encode.
        var index = range.lowerBound
        while index < range.upperBound {
            let scalarLength = utf8Length(text[index])
            let scalar = String(decoding: text[index..<min(index + scalarLength, range.upperBound)], as: UTF8.self).unicodeScalars.first
            let allowed: Bool
            if let scalar, scalar.isASCII {
                allowed = isLDH(InputFolding.asciiLowercased(UInt8(scalar.value)))
            } else if let scalar {
                allowed = !InputFolding.isDisallowedInText(scalar) && scalar.value != 0xFFFD
            } else {
                allowed = false
            }
            guard allowed else {
                throw IdentifierError(kind: kind, reason: .badCharacter(position: InputFolding.position(ofByte: index, in: text)))
            }
            index += scalarLength
        }
        let unicode = UnicodeNormalization.lowercasedNFC(String(decoding: text[range], as: UTF8.self))
        let scalars = Array(unicode.unicodeScalars)
        if scalars.allSatisfy(\.isASCII) {  // e.g. the Kelvin sign lower-cases to 'k'
            let label = scalars.map { UInt8($0.value) }
            guard label.allSatisfy(isLDH) else { throw .malformed(kind, "a label does not follow the letter-digit-hyphen rule") }
            try checkASCIILabel(label, kind: kind)
            return String(decoding: label, as: UTF8.self)
        }
        if let first = scalars.first, isCombiningMark(first) {
            throw .malformed(kind, "a label starts with a combining mark")
        }
        if scalars.first == "-" || scalars.last == "-" {
            throw .malformed(kind, "a label starts or ends with a hyphen")
        }
        guard let encoded = Punycode.encode(scalars) else {
            throw .malformed(kind, "a label is too long to encode")
        }
        let label = "xn--" + encoded
        let length = label.utf8.count
        guard length <= maxLabelLength else {
            throw IdentifierError(kind: kind, reason: .badLength(expected: "at most 63 characters per label after IDNA encoding", actual: length))
        }
        return label
    }

    /// Length, hyphen placement, and for `xn--` labels that they decode to a normalised Unicode label.
    private static func checkASCIILabel(_ label: [UInt8], kind: IdentifierKind) throws(IdentifierError) {
        guard label.count <= maxLabelLength else {
            throw IdentifierError(kind: kind, reason: .badLength(expected: "1 to 63 characters per label", actual: label.count))
        }
        guard label.first != 0x2D, label.last != 0x2D else {
            throw .malformed(kind, "a label starts or ends with a hyphen")
        }
        guard label.count > 4, label[0] == 0x78, label[1] == 0x6E, label[2] == 0x2D, label[3] == 0x2D else { return }
        guard let decoded = Punycode.decode(label[4...]),
              !decoded.allSatisfy(\.isASCII),
              !decoded.contains(where: { InputFolding.isDisallowedInText($0) }),
              Punycode.encode(decoded).map({ Array($0.utf8) }) == Array(label[4...])
        else {
            throw .malformed(kind, "an xn-- label is not valid Punycode")
        }
        var unicode = String.UnicodeScalarView()
        unicode.append(contentsOf: decoded)
        let text = String(unicode)
        guard UnicodeNormalization.lowercasedNFC(text) == text else {
            throw .malformed(kind, "an xn-- label decodes to text that is not lower-case NFC")
        }
    }

    @inline(__always)
    private static func isLDH(_ byte: UInt8) -> Bool {
        (byte >= 0x61 && byte <= 0x7A) || NumericCompaction.isDigit(byte) || byte == 0x2D
    }

    @inline(__always)
    private static func utf8Length(_ lead: UInt8) -> Int {
        lead < 0x80 ? 1 : lead < 0xE0 ? 2 : lead < 0xF0 ? 3 : 4
    }

    private static func isCombiningMark(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .nonspacingMark, .spacingMark, .enclosingMark: true
        default: false
        }
    }
}
