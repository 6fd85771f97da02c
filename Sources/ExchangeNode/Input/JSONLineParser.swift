#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Parses one JSON Lines record: a flat object whose values are strings, numbers or null. Numbers are
/// delivered as written (after checking the JSON grammar), never through a Double, so a 19-digit card
/// number keeps every digit. Keys the spec does not declare are checked and ignored.
struct JSONLineParser: Sendable {
    /// Why a line was refused; `column` is a declared column index when one applies.
    struct Problem: Error, Sendable {
        var kind: InputError.Kind
        var column: Int?
        var reason: String
    }

    private let keys: [[UInt8]]
    private let requiredCount: Int
    private let maxFieldBytes: Int
    private var scratch: [UInt8] = []
    /// Which declared keys the current line has had (reused from line to line).
    private var present: [Bool]

    init(columns: ColumnSpec, maxFieldBytes: Int) {
        keys = columns.names.map { Array($0.utf8) }
        requiredCount = columns.required.count
        self.maxFieldBytes = maxFieldBytes
        present = Array(repeating: false, count: keys.count)
    }

    private static let quote = UInt8(ascii: "\"")
    private static let backslash = UInt8(ascii: "\\")

    /// Parses `p[start..<end]` (one line without its line ending) into values in declared order.
    mutating func parse(_ p: UnsafePointer<UInt8>, from start: Int, to end: Int) -> Result<[String?], Problem> {
        do throws(Problem) {
            return .success(try parseObject(p, start, end))
        } catch {
            return .failure(error)
        }
    }

    private mutating func parseObject(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) throws(Problem) -> [String?] {
        var i = start
        skipSpace(p, &i, end)
        guard i < end, p[i] == UInt8(ascii: "{") else {
            if i < end && p[i] == 0 { throw Problem(kind: .nulByte, column: nil, reason: CellDecoder.nulReason) }
            throw Problem(kind: .notAnObject, column: nil, reason: "the line is not a JSON object")
        }
        i += 1
        var values = [String?](repeating: nil, count: keys.count)
        for index in present.indices { present[index] = false }
        skipSpace(p, &i, end)
        if i < end && p[i] == UInt8(ascii: "}") {
            i += 1
        } else {
            var position = 0
            while true {
                position += 1
                guard i < end, p[i] == Self.quote else { throw unexpected(p, i, end, nil, "expected a key in double quotes") }
                let column = try parseKey(p, &i, end, position: position)
                skipSpace(p, &i, end)
                guard i < end, p[i] == UInt8(ascii: ":") else { throw unexpected(p, i, end, column, "expected ':' after a key") }
                i += 1
                skipSpace(p, &i, end)
                let value = try parseValue(p, &i, end, column: column)
                if let column {
                    guard !present[column] else {
                        throw Problem(kind: .duplicateKey, column: column, reason: "key appears more than once")
                    }
                    present[column] = true
                    values[column] = value
                }
                skipSpace(p, &i, end)
                guard i < end else { throw Problem(kind: .malformedJSON, column: nil, reason: "object is not closed") }
                if p[i] == UInt8(ascii: ",") {
                    i += 1
                    skipSpace(p, &i, end)
                    continue
                }
                if p[i] == UInt8(ascii: "}") {
                    i += 1
                    break
                }
                throw unexpected(p, i, end, column, "expected ',' or '}' after a value")
            }
        }
        skipSpace(p, &i, end)
        guard i == end else { throw unexpected(p, i, end, nil, "unexpected text after the object") }
        for column in 0..<requiredCount where values[column] == nil {
            throw Problem(kind: .missingField, column: column, reason: "required field is missing or null")
        }
        return values
    }

    private func skipSpace(_ p: UnsafePointer<UInt8>, _ i: inout Int, _ end: Int) {
        while i < end, p[i] == 0x20 || p[i] == 0x09 || p[i] == 0x0D || p[i] == 0x0A { i += 1 }
    }

    private func unexpected(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int, _ column: Int?, _ reason: String) -> Problem {
        if i < end && p[i] == 0 { return Problem(kind: .nulByte, column: column, reason: CellDecoder.nulReason) }
        return Problem(kind: .malformedJSON, column: column, reason: "malformed JSON: \(reason)")
    }

    /// Reads a key and returns the declared column it names, or nil for a key the spec ignores.
    private mutating func parseKey(_ p: UnsafePointer<UInt8>, _ i: inout Int, _ end: Int, position: Int) throws(Problem) -> Int? {
        let raw = try scanString(p, &i, end, column: nil)
        if raw.escaped {
            try unescape(p, raw.start, raw.end, column: nil)
            let (valid, column) = scratch.withUnsafeBufferPointer { bytes -> (Bool, Int?) in
                guard let base = bytes.baseAddress else { return (true, self.column(named: nil, 0)) }
                return (!raw.nonASCII || CellDecoder.isValidUTF8(base, 0, bytes.count), self.column(named: base, bytes.count))
            }
            guard valid else {
                throw Problem(kind: .invalidUTF8, column: nil, reason: "key at position \(position) is \(CellDecoder.invalidUTF8Reason)")
            }
            return column
        }
        if raw.nonASCII && !CellDecoder.isValidUTF8(p, raw.start, raw.end) {
            throw Problem(kind: .invalidUTF8, column: nil, reason: "key at position \(position) is \(CellDecoder.invalidUTF8Reason)")
        }
        return column(named: p + raw.start, raw.end - raw.start)
    }

    private func column(named name: UnsafePointer<UInt8>?, _ count: Int) -> Int? {
        for (index, key) in keys.enumerated() where key.count == count {
            if count == 0 { return index }
            let same = key.withUnsafeBufferPointer { memcmp($0.baseAddress!, name!, count) == 0 }
            if same { return index }
        }
        return nil
    }

    private mutating func parseValue(_ p: UnsafePointer<UInt8>, _ i: inout Int, _ end: Int, column: Int?) throws(Problem) -> String? {
        guard i < end else { throw Problem(kind: .malformedJSON, column: column, reason: "malformed JSON: missing value") }
        switch p[i] {
        case Self.quote:
            return try parseStringValue(p, &i, end, column: column)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return try parseNumber(p, &i, end, column: column)
        case UInt8(ascii: "n"):
            try expectLiteral("null", p, &i, end, column: column)
            return nil
        case UInt8(ascii: "t"), UInt8(ascii: "f"):
            try expectLiteral(p[i] == UInt8(ascii: "t") ? "true" : "false", p, &i, end, column: column)
            throw Problem(kind: .unsupportedValue, column: column, reason: "booleans are not accepted; use a string, a number or null")
        case UInt8(ascii: "{"), UInt8(ascii: "["):
            throw Problem(kind: .nestedValue, column: column, reason: "nested objects and arrays are not accepted")
        default:
            throw unexpected(p, i, end, column, "expected a string, a number or null")
        }
    }

    private func expectLiteral(_ literal: StaticString, _ p: UnsafePointer<UInt8>, _ i: inout Int, _ end: Int, column: Int?) throws(Problem) {
        let count = literal.utf8CodeUnitCount
        guard end - i >= count, memcmp(p + i, literal.utf8Start, count) == 0 else {
            throw Problem(kind: .malformedJSON, column: column, reason: "malformed JSON: unknown literal")
        }
        i += count
    }

    private func parseNumber(_ p: UnsafePointer<UInt8>, _ i: inout Int, _ end: Int, column: Int?) throws(Problem) -> String? {
        let start = i
        func isDigit(_ at: Int) -> Bool { at < end && p[at] >= UInt8(ascii: "0") && p[at] <= UInt8(ascii: "9") }
        let bad = Problem(kind: .malformedJSON, column: column, reason: "malformed JSON: invalid number")
        if p[i] == UInt8(ascii: "-") { i += 1 }
        guard isDigit(i) else { throw bad }
        if p[i] == UInt8(ascii: "0") { i += 1 } else { while isDigit(i) { i += 1 } }
        if i < end && p[i] == UInt8(ascii: ".") {
            i += 1
            guard isDigit(i) else { throw bad }
            while isDigit(i) { i += 1 }
        }
        if i < end && (p[i] == UInt8(ascii: "e") || p[i] == UInt8(ascii: "E")) {
            i += 1
            if i < end && (p[i] == UInt8(ascii: "+") || p[i] == UInt8(ascii: "-")) { i += 1 }
            guard isDigit(i) else { throw bad }
            while isDigit(i) { i += 1 }
        }
        guard i - start <= maxFieldBytes else { throw tooLong(column) }
        guard column != nil else { return nil }
        return String(decoding: UnsafeBufferPointer(start: p + start, count: i - start), as: UTF8.self)
    }

    private func tooLong(_ column: Int?) -> Problem {
        Problem(kind: .tooLong, column: column, reason: "field longer than \(maxFieldBytes) bytes")
    }

    private mutating func parseStringValue(_ p: UnsafePointer<UInt8>, _ i: inout Int, _ end: Int, column: Int?) throws(Problem) -> String? {
        let raw = try scanString(p, &i, end, column: column)
        guard raw.end - raw.start <= maxFieldBytes else { throw tooLong(column) }
        let outcome: CellDecoder.Outcome
        if raw.escaped {
            try unescape(p, raw.start, raw.end, column: column)
            outcome = scratch.withUnsafeBufferPointer { bytes in
                guard let base = bytes.baseAddress else { return .value("") }
                return CellDecoder.decode(base, 0, bytes.count, validate: raw.nonASCII, formulaCheck: column != nil)
            }
        } else if column != nil {
            outcome = CellDecoder.decode(p, raw.start, raw.end, validate: raw.nonASCII, formulaCheck: true)
        } else {
            guard !raw.nonASCII || CellDecoder.isValidUTF8(p, raw.start, raw.end) else {
                throw Problem(kind: .invalidUTF8, column: nil, reason: CellDecoder.invalidUTF8Reason)
            }
            return nil
        }
        switch outcome {
        case .value(let text): return column == nil ? nil : text
        case .refused(let kind, let reason): throw Problem(kind: kind, column: column, reason: reason)
        }
    }

    /// Finds the end of the string whose opening quote is at `i`; leaves `i` after the closing quote.
    private func scanString(_ p: UnsafePointer<UInt8>, _ i: inout Int, _ end: Int, column: Int?) throws(Problem)
        -> (start: Int, end: Int, escaped: Bool, nonASCII: Bool)
    {
        i += 1
        let start = i
        var seen: UInt8 = 0
        var escaped = false
        while i < end {
            let byte = p[i]
            if byte == Self.quote {
                i += 1
                return (start, i - 1, escaped, seen & 0x80 != 0)
            }
            if byte == Self.backslash {
                escaped = true
                i += 2
                continue
            }
            if byte < 0x20 {
                if byte == 0 { throw Problem(kind: .nulByte, column: column, reason: CellDecoder.nulReason) }
                throw Problem(kind: .malformedJSON, column: column, reason: "malformed JSON: control character inside a string")
            }
            seen |= byte
            i += 1
        }
        throw Problem(kind: .malformedJSON, column: column, reason: "malformed JSON: string is not closed")
    }

    /// Decodes the escapes of `p[start..<end]` (a scanned string's content) into `scratch`.
    private mutating func unescape(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, column: Int?) throws(Problem) {
        scratch.removeAll(keepingCapacity: true)
        let bad = Problem(kind: .malformedJSON, column: column, reason: "malformed JSON: invalid escape sequence")
        var i = start
        while i < end {
            let byte = p[i]
            guard byte == Self.backslash else {
                scratch.append(byte)
                i += 1
                continue
            }
            let code = p[i + 1]  // scanString guarantees a byte after a backslash inside the string
            i += 2
            switch code {
            case Self.quote, Self.backslash, UInt8(ascii: "/"): scratch.append(code)
            case UInt8(ascii: "b"): scratch.append(0x08)
            case UInt8(ascii: "f"): scratch.append(0x0C)
            case UInt8(ascii: "n"): scratch.append(0x0A)
            case UInt8(ascii: "r"): scratch.append(0x0D)
            case UInt8(ascii: "t"): scratch.append(0x09)
            case UInt8(ascii: "u"):
                guard var scalar = hex4(p, i, end) else { throw bad }
                i += 4
                if scalar >= 0xD800 && scalar <= 0xDBFF {
                    guard end - i >= 6, p[i] == Self.backslash, p[i + 1] == UInt8(ascii: "u"),
                        let low = hex4(p, i + 2, end), low >= 0xDC00 && low <= 0xDFFF
                    else { throw bad }
                    i += 6
                    scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
                } else if scalar >= 0xDC00 && scalar <= 0xDFFF {
                    throw bad
                }
                if scalar == 0 { throw Problem(kind: .nulByte, column: column, reason: CellDecoder.nulReason) }
                appendUTF8(scalar)
            case 0:
                throw Problem(kind: .nulByte, column: column, reason: CellDecoder.nulReason)
            default:
                throw bad
            }
        }
    }

    private func hex4(_ p: UnsafePointer<UInt8>, _ i: Int, _ end: Int) -> UInt32? {
        guard end - i >= 4 else { return nil }
        var value: UInt32 = 0
        for offset in 0..<4 {
            let byte = p[i + offset]
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: return nil
            }
            value = value << 4 | UInt32(digit)
        }
        return value
    }

    private mutating func appendUTF8(_ scalar: UInt32) {
        switch scalar {
        case 0..<0x80:
            scratch.append(UInt8(scalar))
        case 0x80..<0x800:
            scratch.append(UInt8(0xC0 | scalar >> 6))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        case 0x800..<0x10000:
            scratch.append(UInt8(0xE0 | scalar >> 12))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        default:
            scratch.append(UInt8(0xF0 | scalar >> 18))
            scratch.append(UInt8(0x80 | scalar >> 12 & 0x3F))
            scratch.append(UInt8(0x80 | scalar >> 6 & 0x3F))
            scratch.append(UInt8(0x80 | scalar & 0x3F))
        }
    }
}
