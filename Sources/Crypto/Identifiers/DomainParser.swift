/// `domain`: a website's host name, `example.com`, `xn--fsqu00a.xn--fiqs8s`.
///
/// Accepts what people paste: a scheme (`https://`), user info after a scheme, a port, a path,
/// query or fragment are all dropped; `www.` is kept (it is a different host). The host itself
/// is canonicalised by `HostName`.
enum DomainParser {
    static func canonicalize(_ input: UnsafeBufferPointer<UInt8>) throws(IdentifierError) -> String {
        let text = InputFolding.foldedText(input)
        var range = InputFolding.trimmed(text, 0..<text.count)
        guard !range.isEmpty else { throw IdentifierError(kind: .domain, reason: .empty) }

        var hadScheme = false
        if let afterScheme = endOfScheme(text, range) {
            range = afterScheme..<range.upperBound
            hadScheme = true
        } else if range.count >= 2, text[range.lowerBound] == 0x2F, text[range.lowerBound + 1] == 0x2F {
            range = range.lowerBound + 2..<range.upperBound  // scheme-relative //host
            hadScheme = true
        }
        var end = range.lowerBound
        while end < range.upperBound, !isAuthorityEnd(text[end]) { end += 1 }
        var authority = range.lowerBound..<end

        if let at = authority.last(where: { text[$0] == 0x40 }) {
            guard hadScheme else {
                throw .malformed(.domain, "contains '@'; an e-mail address is kind email")
            }
            authority = at + 1..<authority.upperBound
        }
        if authority.first.map({ text[$0] == 0x5B }) == true {
            throw .malformed(.domain, "IP address literals are not accepted as host names")
        }
        if let colon = authority.first(where: { text[$0] == 0x3A }) {
            let port = colon + 1..<authority.upperBound
            guard port.count <= 5, port.allSatisfy({ NumericCompaction.isDigit(text[$0]) }) else {
                throw .malformed(.domain, "after ':' only a port number may follow the host name")
            }
            authority = authority.lowerBound..<colon
        }
        return try HostName.canonicalize(text, authority, kind: .domain)
    }

    /// Index after `scheme://` when the text starts with one (scheme: a letter, then letters,
    /// digits, '+', '-', '.').
    private static func endOfScheme(_ text: [UInt8], _ range: Range<Int>) -> Int? {
        var index = range.lowerBound
        guard index < range.upperBound, isLetter(text[index]) else { return nil }
        while index < range.upperBound {
            let byte = text[index]
            if byte == 0x3A {
                guard index + 2 < range.upperBound, text[index + 1] == 0x2F, text[index + 2] == 0x2F else { return nil }
                return index + 3
            }
            guard isLetter(byte) || NumericCompaction.isDigit(byte) || byte == 0x2B || byte == 0x2D || byte == 0x2E else {
                return nil
            }
            index += 1
        }
        return nil
    }

    @inline(__always)
    private static func isLetter(_ byte: UInt8) -> Bool {
        (byte | 0x20) >= 0x61 && (byte | 0x20) <= 0x7A
    }

    /// '/', '?', '#', '\\' end the host part of a URL.
    @inline(__always)
    private static func isAuthorityEnd(_ byte: UInt8) -> Bool {
        byte == 0x2F || byte == 0x3F || byte == 0x23 || byte == 0x5C
    }
}
