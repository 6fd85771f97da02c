/// A problem with a tabular input file. Thrown when it stops the whole read (unreadable file, bad
/// header); delivered in `RowBatch.problems` when it only refuses one record.
///
/// The description reads `FILE:LINE: field: reason` (`FILE: reason` when no line applies). It names
/// the field and says why, and never contains a cell's content: cells hold personal identifiers.
public struct InputError: Error, Sendable, Equatable, CustomStringConvertible {
    /// What went wrong, for callers and tests that branch on it.
    public enum Kind: String, Sendable, Equatable {
        // Fatal: thrown.
        case unreadable, unknownFormat, emptyInput, missingColumn, duplicateColumn, malformedHeader
        // Per record (also thrown when they hit the CSV header line).
        case tooLong, invalidUTF8, nulByte, unterminatedQuote, malformedCSV, fieldCount
        case malformedJSON, notAnObject, nestedValue, unsupportedValue, duplicateKey, missingField
        case formulaLike
    }

    public let kind: Kind
    /// The path (or in-memory name) the reader was given.
    public let file: String
    /// 1-based physical line where the record starts (the CSV header is line 1); nil for file-level errors.
    public let line: Int?
    /// The declared column name, or `column N` for a column the caller did not ask for.
    public let field: String?
    public let reason: String

    public init(kind: Kind, file: String, line: Int?, field: String?, reason: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.field = field
        self.reason = reason
    }

    public var description: String {
        var text = file
        if let line { text += ":\(line)" }
        text += ": "
        if let field { text += "\(field): " }
        return text + reason
    }
}
