/// Turns a cell's bytes into a String, once, after the checks every delivered cell must pass.
enum CellDecoder {
    package enum Outcome: Sendable {
        case value(String)
        case refused(InputError.Kind, reason: String)
    }

    static let invalidUTF8Reason = "not valid UTF-8"
    static let nulReason = "contains a NUL byte"
    static let formulaReason = "formula-like cell refused"

    /// The String for `p[start..<end]`. `validate` says the bytes may hold non-ASCII (so UTF-8 must be
    /// checked); `formulaCheck` says the cell is delivered and must not look like a formula.
    @inline(__always)
    static func decode(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, validate: Bool, formulaCheck: Bool) -> Outcome {
        let count = end - start
        if formulaCheck && count > 0
            && CSVCell.isFormulaLike(first: p[start], second: count > 1 ? p[start + 1] : nil)
        {
            return .refused(.formulaLike, reason: formulaReason)
        }
        let bytes = UnsafeBufferPointer(start: p + start, count: count)
        if validate {
            guard let text = String(validating: bytes, as: UTF8.self) else {
                return .refused(.invalidUTF8, reason: invalidUTF8Reason)
            }
            return .value(text)
        }
        return .value(String(decoding: bytes, as: UTF8.self))
    }

    /// True when `p[start..<end]` is valid UTF-8 (for cells that are checked but not delivered).
    static func isValidUTF8(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int) -> Bool {
        var decoder = UTF8()
        var iterator = UnsafeBufferPointer(start: p + start, count: end - start).makeIterator()
        while true {
            switch decoder.decode(&iterator) {
            case .scalarValue: continue
            case .emptyInput: return true
            case .error: return false
            }
        }
    }

    /// Copies a quoted field's content to `scratch` with each `""` turned into `"`.
    static func unescapeQuotes(_ p: UnsafePointer<UInt8>, _ start: Int, _ end: Int, into scratch: inout [UInt8]) {
        scratch.removeAll(keepingCapacity: true)
        var i = start
        while i < end {
            let byte = p[i]
            scratch.append(byte)
            i += byte == UInt8(ascii: "\"") ? 2 : 1
        }
    }
}
