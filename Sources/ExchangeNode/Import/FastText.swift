/// Cheap text helpers for the bulk paths (Foundation's `trimmingCharacters` dominated imports).
enum FastText {
    /// The value without leading and trailing whitespace; returns it unchanged (no copy) when its
    /// first and last bytes are printable ASCII, the common case.
    static func trimmed(_ value: String) -> String {
        let utf8 = value.utf8
        guard let first = utf8.first, let last = utf8.last else { return value }
        if first > 0x20, first < 0x80, last > 0x20, last < 0x80 { return value }
        var scalars = Substring(value).unicodeScalars[...]
        while let head = scalars.first, head.properties.isWhitespace { scalars = scalars.dropFirst() }
        while let tail = scalars.last, tail.properties.isWhitespace { scalars = scalars.dropLast() }
        return String(String.UnicodeScalarView(scalars))
    }
}
