/// Pre-normalisation shared by every kind: full-width ASCII to ASCII, every kind of space to a
/// plain space, ideographic full stops to '.', the many dashes to '-'.
///
/// Folding maps one Unicode scalar to one Unicode scalar, so the n-th scalar of folded text is
/// the n-th scalar of the input: error positions computed on folded text are positions in what
/// the person typed.
enum InputFolding {
    static let space: UInt8 = 0x20

    /// ASCII space, tab, LF, VT, FF, CR.
    @inline(__always)
    static func isASCIISpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || (byte >= 0x09 && byte <= 0x0D)
    }

    /// ASCII control characters (C0 and DEL), whitespace included.
    @inline(__always)
    static func isASCIIControl(_ byte: UInt8) -> Bool {
        byte < 0x20 || byte == 0x7F
    }

    /// Decodes the scalar that starts at `index`. The input is valid UTF-8 (it comes from a
    /// String); a truncated or stray sequence still yields nil instead of reading past the end.
    @inline(__always)
    static func decodeScalar(_ bytes: UnsafeBufferPointer<UInt8>, at index: Int) -> (value: UInt32, length: Int)? {
        let lead = bytes[index]
        if lead < 0x80 { return (UInt32(lead), 1) }
        guard lead >= 0xC0 else { return nil }
        let length = lead < 0xE0 ? 2 : (lead < 0xF0 ? 3 : 4)
        guard index + length <= bytes.count else { return nil }
        var value = UInt32(lead) & (0xFF >> UInt32(length + 1))
        for offset in 1..<length {
            value = value << 6 | UInt32(bytes[index + offset] & 0x3F)
        }
        return (value, length)
    }

    /// The ASCII byte a non-ASCII scalar folds to, or nil when it has no ASCII equivalent.
    @inline(__always)
    static func foldedASCII(_ value: UInt32) -> UInt8? {
        switch value {
        case 0xFF01...0xFF5E:  // full-width ASCII forms, ＠ and ． included
            return UInt8(truncatingIfNeeded: value &- 0xFEE0)
        case 0x0085, 0x00A0, 0x1680, 0x2000...0x200B, 0x2028, 0x2029, 0x202F, 0x205F, 0x2060, 0x3000, 0xFEFF:
            return space  // NEL, NBSP, the typographic spaces, zero-width space, ideographic space, BOM
        case 0x3002, 0xFF61:  // 。 ideographic and ｡ half-width full stop
            return 0x2E
        case 0x2010...0x2015, 0x2212, 0xFE63:  // hyphens, dashes, minus sign, small hyphen-minus
            return 0x2D
        default:
            return nil
        }
    }

    /// The whole input folded, as UTF-8: foldable scalars become their ASCII byte, ASCII
    /// whitespace becomes a space, every other scalar is kept as it is.
    static func foldedText(_ bytes: UnsafeBufferPointer<UInt8>) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if byte < 0x80 {
                out.append(isASCIISpace(byte) ? space : byte)
                index += 1
                continue
            }
            guard let (value, length) = decodeScalar(bytes, at: index) else {
                out.append(byte)  // not reachable for String input; kept verbatim, rejected later
                index += 1
                continue
            }
            if let ascii = foldedASCII(value) {
                out.append(ascii)
            } else {
                out.append(contentsOf: UnsafeBufferPointer(rebasing: bytes[index..<index + length]))
            }
            index += length
        }
        return out
    }

    /// `range` without leading and trailing spaces (after folding every space is 0x20).
    static func trimmed(_ text: [UInt8], _ range: Range<Int>) -> Range<Int> {
        var lower = range.lowerBound
        var upper = range.upperBound
        while lower < upper, text[lower] == space { lower += 1 }
        while upper > lower, text[upper - 1] == space { upper -= 1 }
        return lower..<upper
    }

    /// 1-based scalar position of the scalar that starts at byte `offset` of folded text.
    static func position(ofByte offset: Int, in text: [UInt8]) -> Int {
        var count = 1
        for index in 0..<offset where text[index] & 0xC0 != 0x80 {
            count += 1
        }
        return count
    }

    /// Scalars that must never appear inside a text identifier: controls, invisible format
    /// characters, spaces and line separators, private-use, unassigned and surrogate code points.
    static func isDisallowedInText(_ scalar: Unicode.Scalar) -> Bool {
        switch scalar.properties.generalCategory {
        case .control, .format, .spaceSeparator, .lineSeparator, .paragraphSeparator,
             .privateUse, .unassigned, .surrogate:
            return true
        default:
            return false
        }
    }

    /// Lower-cases ASCII letters.
    @inline(__always)
    static func asciiLowercased(_ byte: UInt8) -> UInt8 {
        (byte >= 0x41 && byte <= 0x5A) ? byte | 0x20 : byte
    }

    /// Upper-cases ASCII letters.
    @inline(__always)
    static func asciiUppercased(_ byte: UInt8) -> UInt8 {
        (byte >= 0x61 && byte <= 0x7A) ? byte & 0xDF : byte
    }

    /// Makes a String from ASCII (or any valid UTF-8) bytes.
    @inline(__always)
    static func string(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
        String(unsafeUninitializedCapacity: bytes.count) { destination in
            _ = destination.initialize(fromContentsOf: bytes)
            return bytes.count
        }
    }
}
