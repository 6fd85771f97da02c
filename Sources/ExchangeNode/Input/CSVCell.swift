/// CSV cell rules shared by the reader and by the reports the node writes.
public enum CSVCell {
    /// True when a spreadsheet could take the cell for a formula: it starts with `=` or `@`, a tab or a
    /// carriage return, or with `+`/`-` followed by anything but a digit, a space or `(`.
    /// `+8613800138000`, `-5`, `-` alone and a `-` further in are not formula-like.
    public static func isFormulaLike(_ value: String) -> Bool {
        var bytes = value.utf8.makeIterator()
        guard let first = bytes.next() else { return false }
        return isFormulaLike(first: first, second: bytes.next())
    }

    /// The byte-level form of `isFormulaLike(_:)`, used on raw cells before any String exists.
    @inline(__always)
    static func isFormulaLike(first: UInt8, second: UInt8?) -> Bool {
        switch first {
        case UInt8(ascii: "="), UInt8(ascii: "@"), 0x09, 0x0D:
            return true
        case UInt8(ascii: "+"), UInt8(ascii: "-"):
            guard let second else { return false }
            return !(second >= UInt8(ascii: "0") && second <= UInt8(ascii: "9"))
                && second != UInt8(ascii: " ") && second != UInt8(ascii: "(")
        default:
            return false
        }
    }

    /// RFC 4180 quoting only: the value in double quotes (inner quotes doubled) when it holds a comma,
    /// a quote, CR or LF, or starts or ends with a space; otherwise unchanged.
    public static func quote(_ value: String) -> String {
        let needsQuotes = value.utf8.contains { $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: "\"") || $0 == 0x0A || $0 == 0x0D }
            || value.utf8.first == UInt8(ascii: " ") || value.utf8.last == UInt8(ascii: " ")
        guard needsQuotes else { return value }
        var bytes: [UInt8] = [UInt8(ascii: "\"")]
        bytes.reserveCapacity(value.utf8.count + 8)
        for byte in value.utf8 {
            bytes.append(byte)
            if byte == UInt8(ascii: "\"") { bytes.append(byte) }  // works on bytes: a quote followed by a combining mark stays a quote
        }
        bytes.append(UInt8(ascii: "\""))
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A cell for CSV the node writes (reports): a value starting with `=`, `+`, `-`, `@`, tab or CR
    /// gets a `'` in front so no spreadsheet evaluates it, then RFC 4180 quoting applies.
    public static func escapeForOutput(_ value: String) -> String {
        let neutral: String
        switch value.utf8.first {
        case UInt8(ascii: "="), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "@"), 0x09, 0x0D:
            neutral = "'" + value
        default:
            neutral = value
        }
        return quote(neutral)
    }

    /// One CSV line (without its line ending) of `escapeForOutput` cells.
    public static func outputLine(_ values: [String]) -> String {
        values.map(escapeForOutput).joined(separator: ",")
    }
}
