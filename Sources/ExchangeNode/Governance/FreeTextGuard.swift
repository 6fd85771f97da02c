import ExchangeCrypto
import Foundation

/// Refuses free text (an appeal's evidence, a decision's reason) that contains something that
/// parses as a subject identifier: a phone number, a resident identity number, a unified social
/// credit code, a bank card number or an e-mail address. Appeals name the entry; the subject's
/// identifiers never travel.
///
/// The scan folds full-width characters, splits the text into words at spaces, CJK characters
/// and punctuation other than `@ . _ + - ( )`, tries every word with each kind's own parser, and
/// also tries runs of up to six consecutive numeric words (`138 0013 8000`, `+86 139 1234 5678`).
/// Findings report the kind and the character positions, never the text.
package enum FreeTextGuard {
    /// Longest accepted text, in characters.
    static let maxLength = 2000

    static let checkedKinds: [IdentifierKind] = [.phone, .residentID, .uscc, .bankCard, .email]

    /// Something in the text that parses as an identifier: its kind and 1-based character positions.
    package struct Finding: Sendable, Equatable, CustomStringConvertible {
        let kind: IdentifierKind
        let firstCharacter: Int
        let lastCharacter: Int

        package var description: String {
            "characters \(firstCharacter)-\(lastCharacter) parse as a \(kind.rawValue) identifier"
        }
    }

    /// Why a text was refused; the description never contains the text.
    package enum Problem: Error, Sendable, Equatable, CustomStringConvertible {
        case empty(field: String)
        case tooLong(field: String, characters: Int)
        case controlCharacters(field: String)
        case containsIdentifier(field: String, Finding)

        package var description: String {
            switch self {
            case .empty(let field): "\(field) must not be empty"
            case .tooLong(let field, let characters): "\(field) has \(characters) characters; at most \(FreeTextGuard.maxLength) are allowed"
            case .controlCharacters(let field): "\(field) contains control characters"
            case .containsIdentifier(let field, let finding):
                "\(field): \(finding); describe the evidence without the subject's identifiers (the appeal names the entry)"
            }
        }
    }

    /// Checks `text` for `field`; throws the first problem found.
    static func check(_ text: String, field: String) throws(Problem) {
        let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !trimmed.isEmpty else { throw .empty(field: field) }
        let count = text.count
        guard count <= maxLength else { throw .tooLong(field: field, characters: count) }
        if text.unicodeScalars.contains(where: { ($0.value < 0x20 && $0 != "\n" && $0 != "\t") || $0.value == 0x7F }) {
            throw .controlCharacters(field: field)
        }
        if let finding = firstIdentifier(in: text) { throw .containsIdentifier(field: field, finding) }
    }

    /// The first identifier-shaped part of `text`, if any.
    static func firstIdentifier(in text: String) -> Finding? {
        let words = Self.words(in: text)
        for word in words {
            if let kind = identifierKind(of: word.text, kinds: word.text.contains("@") ? [.email] : [.phone, .residentID, .uscc, .bankCard]) {
                return Finding(kind: kind, firstCharacter: word.start + 1, lastCharacter: word.end)
            }
        }
        // Runs of numeric words separated by spaces only.
        for startIndex in words.indices where words[startIndex].isNumeric {
            var joined = words[startIndex].text
            var index = startIndex + 1
            while index < words.count, index - startIndex < 6, words[index].isNumeric, words[index].spaceBefore {
                joined += " " + words[index].text
                if let kind = identifierKind(of: joined, kinds: [.phone, .residentID, .bankCard]) {
                    return Finding(kind: kind, firstCharacter: words[startIndex].start + 1, lastCharacter: words[index].end)
                }
                index += 1
            }
        }
        return nil
    }

    private static func identifierKind(of candidate: String, kinds: [IdentifierKind]) -> IdentifierKind? {
        for kind in kinds where (try? SubjectIdentifier(kind: kind, parsing: candidate)) != nil { return kind }
        return nil
    }

    struct Word {
        var text: String
        /// 0-based character offsets: [start, end).
        var start: Int
        var end: Int
        /// Only whitespace separates it from the previous word.
        var spaceBefore: Bool

        var isNumeric: Bool {
            let scalars = Array(text.unicodeScalars)
            guard scalars.contains(where: { $0 >= "0" && $0 <= "9" }) else { return false }
            return scalars.enumerated().allSatisfy { index, scalar in
                (scalar >= "0" && scalar <= "9") || "+-().".unicodeScalars.contains(scalar)
                    || ((scalar == "x" || scalar == "X") && index == scalars.count - 1)
            }
        }
    }

    /// Words of folded ASCII: letters, digits and `@ . _ + - ( )`; everything else separates.
    static func words(in text: String) -> [Word] {
        var words: [Word] = []
        var current = ""
        var start = 0
        var separatorsSinceWord = ""
        var offset = 0
        func finish() {
            guard !current.isEmpty else { return }
            let trimmed = trimEdges(current)
            if !trimmed.text.isEmpty {
                let onlySpaces = !words.isEmpty && separatorsSinceWord.allSatisfy { $0 == " " } && !separatorsSinceWord.isEmpty
                words.append(Word(text: trimmed.text, start: start + trimmed.dropped,
                                  end: start + trimmed.dropped + trimmed.text.count, spaceBefore: onlySpaces))
                separatorsSinceWord = ""
            }
            current = ""
        }
        for character in text {
            defer { offset += 1 }
            guard let folded = fold(character) else {
                finish()
                separatorsSinceWord.append(character.isWhitespace ? " " : "|")
                continue
            }
            if current.isEmpty { start = offset }
            current.append(folded)
        }
        finish()
        return words
    }

    /// Drops `.`, `-`, `(`, `)` from both ends (sentence punctuation), remembering how many leading ones.
    private static func trimEdges(_ word: String) -> (text: String, dropped: Int) {
        let edge: Set<Character> = [".", "-", "(", ")", "_"]
        var scalars = Substring(word)
        var dropped = 0
        while let first = scalars.first, edge.contains(first) {
            scalars = scalars.dropFirst()
            dropped += 1
        }
        while let last = scalars.last, edge.contains(last) { scalars = scalars.dropLast() }
        return (String(scalars), dropped)
    }

    /// The ASCII word character a character stands for (full-width forms folded), or nil for a separator.
    private static func fold(_ character: Character) -> Character? {
        guard character.unicodeScalars.count == 1, var value = character.unicodeScalars.first?.value else { return nil }
        if (0xFF01...0xFF5E).contains(value) { value -= 0xFEE0 }
        if [0x2010, 0x2011, 0x2012, 0x2013, 0x2014, 0x2212, 0xFE63].contains(value) { value = 0x2D }
        guard value < 0x80, let scalar = Unicode.Scalar(value) else { return nil }
        let c = Character(scalar)
        if c.isLetter || c.isNumber || "@._+-()".contains(c) { return c }
        return nil
    }
}
