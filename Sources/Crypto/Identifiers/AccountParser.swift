/// `account`: an account on a named platform, `platform:handle` such as `taobao:seller123`.
///
/// The platform (before the first ':') is lower-cased `a-z 0-9 . _ -`, at most 64 characters;
/// the handle is trimmed, keeps its case, is put in NFC, has no spaces or control or invisible
/// characters, at most 256 bytes.
enum AccountParser {
    static let maxPlatformLength = 64
    static let maxHandleLength = 256

    static func canonicalize(_ input: UnsafeBufferPointer<UInt8>) throws(IdentifierError) -> String {
        let text = InputFolding.foldedText(input)
        let range = InputFolding.trimmed(text, 0..<text.count)
        guard !range.isEmpty else { throw IdentifierError(kind: .account, reason: .empty) }
        guard let colon = range.first(where: { text[$0] == 0x3A }) else {
            throw .malformed(.account, "an account is written platform:handle")
        }
        let platform = InputFolding.trimmed(text, range.lowerBound..<colon)
        let handle = InputFolding.trimmed(text, colon + 1..<range.upperBound)
        guard !platform.isEmpty else { throw .malformed(.account, "nothing before ':' (the platform)") }
        guard !handle.isEmpty else { throw .malformed(.account, "nothing after ':' (the handle)") }

        var canonical = [UInt8]()
        canonical.reserveCapacity(platform.count + 1 + handle.count)
        for index in platform {
            let byte = InputFolding.asciiLowercased(text[index])
            guard (byte >= 0x61 && byte <= 0x7A) || NumericCompaction.isDigit(byte)
                    || byte == 0x2E || byte == 0x5F || byte == 0x2D
            else { throw badCharacter(at: index, in: text) }
            canonical.append(byte)
        }
        guard platform.count <= maxPlatformLength else {
            throw IdentifierError(kind: .account, reason: .badLength(expected: "at most 64 characters of platform", actual: platform.count))
        }
        guard handle.count <= maxHandleLength else {
            throw IdentifierError(kind: .account, reason: .badLength(expected: "at most 256 bytes of handle", actual: handle.count))
        }
        var isASCII = true
        var index = handle.lowerBound
        while index < handle.upperBound {
            let byte = text[index]
            if byte < 0x80 {
                guard byte > 0x20, byte != 0x7F else { throw badCharacter(at: index, in: text) }
                index += 1
                continue
            }
            isASCII = false
            let length = byte < 0xE0 ? 2 : byte < 0xF0 ? 3 : 4
            let end = min(index + length, handle.upperBound)
            guard let scalar = String(decoding: text[index..<end], as: UTF8.self).unicodeScalars.first,
                  scalar.value != 0xFFFD, !InputFolding.isDisallowedInText(scalar)
            else { throw badCharacter(at: index, in: text) }
            index = end
        }
        canonical.append(0x3A)
        if isASCII {
            canonical.append(contentsOf: text[handle])
            return String(decoding: canonical, as: UTF8.self)
        }
        return String(decoding: canonical, as: UTF8.self)
            + UnicodeNormalization.nfc(String(decoding: text[handle], as: UTF8.self))
    }

    private static func badCharacter(at index: Int, in text: [UInt8]) -> IdentifierError {
        IdentifierError(kind: .account, reason: .badCharacter(position: InputFolding.position(ofByte: index, in: text)))
    }
}
