/// `app`: a mobile application's package name (Android) or bundle id (iOS), `com.example.shop`.
///
/// Lower-cased; at least two dot-separated segments of `a-z 0-9 _ -`, each starting with a
/// letter or digit; at most 255 characters.
enum AppIDParser {
    static let maxLength = 255

    static func canonicalize(_ input: UnsafeBufferPointer<UInt8>) throws(IdentifierError) -> String {
        let text = InputFolding.foldedText(input)
        let range = InputFolding.trimmed(text, 0..<text.count)
        guard !range.isEmpty else { throw IdentifierError(kind: .app, reason: .empty) }
        var canonical = [UInt8]()
        canonical.reserveCapacity(range.count)
        for index in range {
            let byte = InputFolding.asciiLowercased(text[index])
            guard (byte >= 0x61 && byte <= 0x7A) || NumericCompaction.isDigit(byte)
                    || byte == 0x5F || byte == 0x2D || byte == 0x2E
            else {
                throw IdentifierError(kind: .app, reason: .badCharacter(position: InputFolding.position(ofByte: index, in: text)))
            }
            canonical.append(byte)
        }
        guard canonical.count <= maxLength else {
            throw IdentifierError(kind: .app, reason: .badLength(expected: "at most 255 characters", actual: canonical.count))
        }
        let segments = canonical.split(separator: 0x2E, omittingEmptySubsequences: false)
        guard !segments.contains(where: \.isEmpty) else {
            throw .malformed(.app, "an empty segment (a dot at the start or end, or two dots in a row)")
        }
        guard segments.count >= 2 else {
            throw .malformed(.app, "needs at least two dot-separated segments (a reversed domain and a name)")
        }
        guard segments.allSatisfy({ $0.first != 0x5F && $0.first != 0x2D }) else {
            throw .malformed(.app, "a segment starts with '_' or '-' instead of a letter or digit")
        }
        return String(decoding: canonical, as: UTF8.self)
    }
}
