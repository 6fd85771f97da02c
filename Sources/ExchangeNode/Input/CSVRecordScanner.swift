/// Finds the fields of one RFC 4180 record in a byte range without copying anything: it records
/// where each field's content lies and what it contains, so that Strings are made once, later,
/// only for the columns a caller asked for.
struct CSVRecordScanner: Sendable {
    /// Where one field's content lies (inside the quotes for a quoted field) and what it holds.
    struct Span: Sendable {
        var start: Int
        var end: Int
        var flags: UInt8

        var hasEscapedQuotes: Bool { flags & CSVRecordScanner.escapedQuotes != 0 }
        var hasNonASCII: Bool { flags & CSVRecordScanner.nonASCII != 0 }
        var hasNUL: Bool { flags & CSVRecordScanner.nul != 0 }
    }

    /// A structural fault that makes the record unusable (it is still read to its end).
    enum Defect: Sendable {
        case strayQuote, textAfterClosingQuote, strayCarriageReturn

        var reason: String {
            switch self {
            case .strayQuote: "double quote inside an unquoted field"
            case .textAfterClosingQuote: "text after the closing quote of a quoted field"
            case .strayCarriageReturn: "carriage return not followed by a line feed"
            }
        }
    }

    package enum Outcome: Sendable, Equatable {
        /// A record ends before `next`; `newlines` line feeds were consumed, its terminator included.
        case complete(next: Int, newlines: Int)
        /// An empty line (LF or CRLF), skipped.
        case blank(next: Int)
        /// The range ends inside the record and more input may follow.
        case needMore
        /// The input ends inside the quoted field at index `field`.
        case unterminated(field: Int, newlines: Int)
    }

    static let escapedQuotes: UInt8 = 1
    static let nonASCII: UInt8 = 2
    static let nul: UInt8 = 4

    /// Fields of the last record scanned.
    private(set) var spans: [Span] = []
    /// The first structural fault of the last record scanned, and the index of its field.
    private(set) var defect: (kind: Defect, field: Int)?

    init() { spans.reserveCapacity(64) }

    private static let comma = UInt8(ascii: ",")
    private static let quote = UInt8(ascii: "\"")
    private static let lf: UInt8 = 0x0A
    private static let cr: UInt8 = 0x0D

    private mutating func note(_ kind: Defect) {
        if defect == nil { defect = (kind, spans.count) }
    }

    /// Scans the record starting at `pos` in `p[pos..<end]` (`pos < end`). `atEOF` says `end` is the
    /// end of the input, so a record may end there without a line ending.
    mutating func scan(_ p: UnsafePointer<UInt8>, from pos: Int, to end: Int, atEOF: Bool) -> Outcome {
        spans.removeAll(keepingCapacity: true)
        defect = nil
        let comma = Self.comma, quote = Self.quote, lf = Self.lf, cr = Self.cr
        var i = pos
        var newlines = 0

        if p[i] == lf { return .blank(next: i + 1) }
        if p[i] == cr {
            if i + 1 < end {
                if p[i + 1] == lf { return .blank(next: i + 2) }
            } else {
                return atEOF ? .blank(next: end) : .needMore
            }
        }

        fields: while true {
            var fieldStart = i
            var flags: UInt8 = 0
            if i < end && p[i] == quote {
                i += 1
                let contentStart = i
                var seen: UInt8 = 0
                while true {
                    if i >= end {
                        return atEOF ? .unterminated(field: spans.count, newlines: newlines) : .needMore
                    }
                    let byte = p[i]
                    if byte == quote {
                        if i + 1 < end {
                            if p[i + 1] == quote { flags |= Self.escapedQuotes; i += 2; continue }
                        } else if !atEOF {
                            return .needMore
                        }
                        break
                    }
                    if byte == lf { newlines += 1 } else if byte == 0 { flags |= Self.nul }
                    seen |= byte
                    i += 1
                }
                if seen & 0x80 != 0 { flags |= Self.nonASCII }
                let span = Span(start: contentStart, end: i, flags: flags)
                i += 1  // the closing quote
                if i >= end {  // only reachable at EOF
                    spans.append(span)
                    return .complete(next: i, newlines: newlines)
                }
                let byte = p[i]
                if byte == comma { spans.append(span); i += 1; continue fields }
                if byte == lf { spans.append(span); return .complete(next: i + 1, newlines: newlines + 1) }
                if byte == cr {
                    if i + 1 < end {
                        if p[i + 1] == lf { spans.append(span); return .complete(next: i + 2, newlines: newlines + 1) }
                    } else if atEOF {
                        spans.append(span)
                        return .complete(next: i + 1, newlines: newlines)
                    } else {
                        return .needMore
                    }
                }
                // Text after the closing quote: the record is refused; read on to the end of this field.
                note(.textAfterClosingQuote)
                fieldStart = i
                flags = 0
            }

            var seen: UInt8 = 0
            while i < end {
                let byte = p[i]
                if byte > comma {  // the common case: letters, digits, '-', '.', ':', '@', '_', non-ASCII
                    seen |= byte
                    i += 1
                    continue
                }
                switch byte {
                case comma:
                    if seen & 0x80 != 0 { flags |= Self.nonASCII }
                    spans.append(Span(start: fieldStart, end: i, flags: flags))
                    i += 1
                    continue fields
                case lf:
                    if seen & 0x80 != 0 { flags |= Self.nonASCII }
                    spans.append(Span(start: fieldStart, end: i, flags: flags))
                    return .complete(next: i + 1, newlines: newlines + 1)
                case cr:
                    if i + 1 < end {
                        if p[i + 1] == lf {
                            if seen & 0x80 != 0 { flags |= Self.nonASCII }
                            spans.append(Span(start: fieldStart, end: i, flags: flags))
                            return .complete(next: i + 2, newlines: newlines + 1)
                        }
                        note(.strayCarriageReturn)
                        i += 1
                    } else if atEOF {
                        if seen & 0x80 != 0 { flags |= Self.nonASCII }
                        spans.append(Span(start: fieldStart, end: i, flags: flags))
                        return .complete(next: i + 1, newlines: newlines)
                    } else {
                        return .needMore
                    }
                case quote:
                    note(.strayQuote)
                    i += 1
                case 0:
                    flags |= Self.nul
                    i += 1
                default:
                    i += 1
                }
            }
            guard atEOF else { return .needMore }
            if seen & 0x80 != 0 { flags |= Self.nonASCII }
            spans.append(Span(start: fieldStart, end: end, flags: flags))
            return .complete(next: end, newlines: newlines)
        }
    }
}
