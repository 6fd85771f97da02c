#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Streams the records of a CSV or JSON Lines file as batches of rows, in bounded memory
/// (about `chunkBytes + maxRecordBytes`, plus the batch being built).
///
/// - CSV: RFC 4180. Comma separator; the first non-blank line is the header; quoted fields may hold
///   commas, CR/LF and `""`; lines end in LF or CRLF; a UTF-8 BOM is skipped; empty lines are skipped.
///   Header names are matched exactly after trimming spaces; header columns the spec does not declare
///   are ignored (still checked for NUL and UTF-8); an optional column missing from the header yields
///   nil in every row; a missing required column is a thrown error. An empty cell is `""`.
/// - JSONL: one flat object per line; values are strings, numbers (delivered as written) or null.
///   Blank lines are skipped; keys the spec does not declare are ignored; a declared key that is
///   absent or null is nil, which refuses the line when the column is required.
///
/// A record that breaks a rule (wrong field count, invalid UTF-8, NUL, too long, malformed quoting or
/// JSON, a formula-like cell in a delivered column, ...) goes to `RowBatch.problems` and reading goes
/// on: a too-long record is skipped up to the next line feed without buffering it. Only file-level
/// failures (cannot read, unknown format, empty input, bad CSV header) are thrown.
///
/// `~Copyable`: one owner reads; it can be moved to another task but not shared.
public struct TabularReader: ~Copyable, Sendable {
    /// The path or in-memory name, as errors show it.
    public let name: String
    public let format: TabularFormat
    public let columns: ColumnSpec
    public let limits: InputLimits

    private var window: ByteWindow
    private var csv = CSVRecordScanner()
    private var json: JSONLineParser
    /// Line number of the byte at `window.start`.
    private var line = 1
    /// Set after a too-long record: discard input up to and including the next line feed.
    private var skippingToNewline = false
    private var finished = false
    /// CSV: for each header field, the declared column it feeds, or -1.
    private var columnOfField: [Int] = []
    /// CSV: for each declared column, the header field that feeds it, or -1.
    private var fieldOfColumn: [Int] = []
    private var scratch: [UInt8] = []

    /// Opens `path`. Without `format`, the extension decides (`.csv`, `.jsonl`, `.ndjson`).
    /// For CSV, reads and checks the header before returning.
    public init(path: String, format: TabularFormat? = nil, columns: ColumnSpec, limits: InputLimits = .default) throws(InputError) {
        guard let format = format ?? TabularFormat(inferringFrom: path) else {
            throw InputError(kind: .unknownFormat, file: path, line: nil, field: nil,
                             reason: "cannot tell the format from the file name (expected .csv, .jsonl or .ndjson); name the format explicitly")
        }
        let window = try ByteWindow(path: path, chunkBytes: limits.chunkBytes, reserveBytes: limits.maxRecordBytes)
        try self.init(window: window, name: path, format: format, columns: columns, limits: limits)
    }

    /// Reads `bytes` as if they were the file `name` (still one chunk at a time).
    public init(bytes: [UInt8], name: String, format: TabularFormat, columns: ColumnSpec, limits: InputLimits = .default) throws(InputError) {
        let window = ByteWindow(bytes: bytes, name: name, chunkBytes: limits.chunkBytes, reserveBytes: limits.maxRecordBytes)
        try self.init(window: window, name: name, format: format, columns: columns, limits: limits)
    }

    private init(window: consuming ByteWindow, name: String, format: TabularFormat, columns: ColumnSpec, limits: InputLimits) throws(InputError) {
        self.window = window
        self.name = name
        self.format = format
        self.columns = columns
        self.limits = limits
        self.json = JSONLineParser(columns: columns, maxFieldBytes: limits.maxFieldBytes)
        try skipByteOrderMark()
        if format == .csv { try readHeader() }
    }

    /// Input bytes consumed so far (rows delivered, refused or skipped); equals `fileSize` at the end.
    public var bytesRead: Int { window.totalRead - (window.end - window.start) }
    /// The input's size in bytes, or 0 when it is not a regular file (a pipe).
    public var fileSize: Int { window.size }

    /// The next records, at most `maxRows` of them counting refused ones; nil once the input is exhausted.
    /// Throws only when the input cannot be read any further; after that it returns nil.
    public mutating func nextBatch(maxRows: Int = 4096) throws(InputError) -> RowBatch? {
        precondition(maxRows > 0, "maxRows must be positive")
        guard !finished else { return nil }
        var batch = RowBatch()
        batch.rows.reserveCapacity(min(maxRows, 4096))
        while batch.recordCount < maxRows {
            let step: Step
            do throws(InputError) {
                step = format == .csv ? try nextCSVRecord() : try nextJSONRecord()
            } catch {
                finished = true
                throw error
            }
            switch step {
            case .row(let row): batch.rows.append(row)
            case .problem(let problem): batch.problems.append(problem)
            case .end:
                finished = true
                return batch.isEmpty ? nil : batch
            }
        }
        return batch
    }

    /// Every remaining record in one batch. Meant for small inputs and tests; stream large ones.
    public mutating func readAll() throws(InputError) -> RowBatch {
        var all = RowBatch()
        while let batch = try nextBatch() {
            all.rows += batch.rows
            all.problems += batch.problems
        }
        return all
    }

    private enum Step {
        case row(Row)
        case problem(InputError)
        case end
    }

    // MARK: - Shared

    private func problem(_ kind: InputError.Kind, line: Int, field: String? = nil, _ reason: String) -> InputError {
        InputError(kind: kind, file: name, line: line, field: field, reason: reason)
    }

    private func tooLongRecord(line: Int) -> InputError {
        problem(.tooLong, line: line, "record longer than \(limits.maxRecordBytes) bytes; skipped to the next line")
    }

    private mutating func skipByteOrderMark() throws(InputError) {
        while window.end - window.start < 3 && !window.isEOF { try window.fill() }
        let p = window.base + window.start
        if window.end - window.start >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF { window.start += 3 }
    }

    /// While skipping a too-long record: discards input through the next line feed.
    /// Returns false when the input ended first.
    private mutating func skipToNewline() throws(InputError) -> Bool {
        while true {
            let count = window.end - window.start
            if count > 0, let found = memchr(window.base + window.start, 0x0A, count) {
                window.start = window.base.distance(to: found.assumingMemoryBound(to: UInt8.self)) + 1
                line += 1
                skippingToNewline = false
                return true
            }
            window.start = window.end
            if window.isEOF { return false }
            try window.fill()
        }
    }

    private func countNewlines(from start: Int, to end: Int) -> Int {
        var count = 0
        for i in start..<end where window.base[i] == 0x0A { count += 1 }
        return count
    }

    // MARK: - CSV

    private mutating func readHeader() throws(InputError) {
        while true {
            if window.start == window.end {
                if window.isEOF {
                    throw InputError(kind: .emptyInput, file: name, line: nil, field: nil, reason: "the file is empty (no header line)")
                }
                try window.fill()
                continue
            }
            let scanEnd = min(window.end, window.start + limits.maxRecordBytes)
            switch csv.scan(window.base, from: window.start, to: scanEnd, atEOF: window.isEOF && scanEnd == window.end) {
            case .blank(let next):
                line += 1
                window.start = next
            case .needMore:
                if scanEnd - window.start >= limits.maxRecordBytes {
                    throw problem(.tooLong, line: line, "header line longer than \(limits.maxRecordBytes) bytes")
                }
                try window.fill()
            case .unterminated:
                throw problem(.unterminatedQuote, line: line, "header has a quoted field not closed before the end of the file")
            case .complete(let next, let newlines):
                try adoptHeader(line: line)
                line += newlines
                window.start = next
                return
            }
        }
    }

    private mutating func adoptHeader(line: Int) throws(InputError) {
        if let defect = csv.defect {
            throw problem(.malformedHeader, line: line, field: "column \(defect.field + 1)", "header: \(defect.kind.reason)")
        }
        fieldOfColumn = Array(repeating: -1, count: columns.count)
        columnOfField = []
        for (index, span) in csv.spans.enumerated() {
            let field = "column \(index + 1)"
            if span.hasNUL { throw problem(.nulByte, line: line, field: field, "header \(CellDecoder.nulReason)") }
            var start = span.start, end = span.end
            if span.hasEscapedQuotes {  // a name with a quote in it matches no declared column
                columnOfField.append(-1)
                continue
            }
            if span.hasNonASCII && !CellDecoder.isValidUTF8(window.base, start, end) {
                throw problem(.invalidUTF8, line: line, field: field, "header \(CellDecoder.invalidUTF8Reason)")
            }
            while start < end && (window.base[start] == 0x20 || window.base[start] == 0x09) { start += 1 }
            while end > start && (window.base[end - 1] == 0x20 || window.base[end - 1] == 0x09) { end -= 1 }
            let text = String(decoding: UnsafeBufferPointer(start: window.base + start, count: end - start), as: UTF8.self)
            guard let column = columns.index(of: text) else {
                columnOfField.append(-1)
                continue
            }
            if fieldOfColumn[column] >= 0 {
                throw problem(.duplicateColumn, line: line, field: columns.names[column], "column appears more than once in the header")
            }
            fieldOfColumn[column] = index
            columnOfField.append(column)
        }
        let missing = columns.required.indices.filter { fieldOfColumn[$0] < 0 }.map { columns.names[$0] }
        if !missing.isEmpty {
            throw problem(.missingColumn, line: line, field: missing.joined(separator: ", "),
                          missing.count == 1 ? "required column missing from the header" : "required columns missing from the header")
        }
    }

    private func csvFieldName(_ index: Int) -> String {
        if index < columnOfField.count, columnOfField[index] >= 0 { return columns.names[columnOfField[index]] }
        return "column \(index + 1)"
    }

    private mutating func nextCSVRecord() throws(InputError) -> Step {
        while true {
            if skippingToNewline {
                guard try skipToNewline() else { return .end }
            }
            if window.start == window.end {
                if window.isEOF { return .end }
                try window.fill()
                continue
            }
            let scanEnd = min(window.end, window.start + limits.maxRecordBytes)
            switch csv.scan(window.base, from: window.start, to: scanEnd, atEOF: window.isEOF && scanEnd == window.end) {
            case .blank(let next):
                line += 1
                window.start = next
            case .needMore:
                if scanEnd - window.start >= limits.maxRecordBytes {
                    let recordLine = line
                    line += countNewlines(from: window.start, to: scanEnd)
                    window.start = scanEnd
                    skippingToNewline = true
                    return .problem(tooLongRecord(line: recordLine))
                }
                try window.fill()
            case .unterminated(let field, let newlines):
                let recordLine = line
                line += newlines
                window.start = window.end
                return .problem(problem(.unterminatedQuote, line: recordLine, field: csvFieldName(field),
                                        "quoted field not closed before the end of the file"))
            case .complete(let next, let newlines):
                let recordLine = line
                line += newlines
                let step = csvRow(line: recordLine)
                window.start = next
                return step
            }
        }
    }

    /// Checks the record just scanned and makes its row: Strings only for declared columns.
    private mutating func csvRow(line: Int) -> Step {
        if let defect = csv.defect {
            return .problem(problem(.malformedCSV, line: line, field: csvFieldName(defect.field), defect.kind.reason))
        }
        let spans = csv.spans
        guard spans.count == columnOfField.count else {
            return .problem(problem(.fieldCount, line: line, "expected \(columnOfField.count) fields, found \(spans.count)"))
        }
        for index in spans.indices {
            let span = spans[index]
            if span.flags == 0 && span.end - span.start <= limits.maxFieldBytes { continue }
            if span.hasNUL {
                return .problem(problem(.nulByte, line: line, field: csvFieldName(index), CellDecoder.nulReason))
            }
            if span.end - span.start > limits.maxFieldBytes {
                return .problem(problem(.tooLong, line: line, field: csvFieldName(index), "field longer than \(limits.maxFieldBytes) bytes"))
            }
            if columnOfField[index] < 0 && span.hasNonASCII && !CellDecoder.isValidUTF8(window.base, span.start, span.end) {
                return .problem(problem(.invalidUTF8, line: line, field: csvFieldName(index), CellDecoder.invalidUTF8Reason))
            }
        }
        var values: [String?] = []
        values.reserveCapacity(fieldOfColumn.count)
        for column in fieldOfColumn.indices {
            let index = fieldOfColumn[column]
            if index < 0 {
                values.append(nil)
                continue
            }
            let span = spans[index]
            let outcome: CellDecoder.Outcome
            if span.hasEscapedQuotes {
                CellDecoder.unescapeQuotes(window.base, span.start, span.end, into: &scratch)
                outcome = scratch.withUnsafeBufferPointer { bytes in
                    CellDecoder.decode(bytes.baseAddress!, 0, bytes.count, validate: span.hasNonASCII, formulaCheck: true)
                }
            } else {
                outcome = CellDecoder.decode(window.base, span.start, span.end, validate: span.hasNonASCII, formulaCheck: true)
            }
            switch outcome {
            case .value(let text):
                values.append(text)
            case .refused(let kind, let reason):
                return .problem(problem(kind, line: line, field: columns.names[column], reason))
            }
        }
        return .row(Row(line: line, values: values))
    }

    // MARK: - JSONL

    private mutating func nextJSONRecord() throws(InputError) -> Step {
        while true {
            if skippingToNewline {
                guard try skipToNewline() else { return .end }
            }
            if window.start == window.end {
                if window.isEOF { return .end }
                try window.fill()
                continue
            }
            let scanEnd = min(window.end, window.start + limits.maxRecordBytes)
            let lineEnd: Int
            let next: Int
            if let found = memchr(window.base + window.start, 0x0A, scanEnd - window.start) {
                lineEnd = window.base.distance(to: found.assumingMemoryBound(to: UInt8.self))
                next = lineEnd + 1
            } else if window.isEOF && scanEnd == window.end {
                lineEnd = scanEnd
                next = scanEnd
            } else if scanEnd - window.start >= limits.maxRecordBytes {
                window.start = scanEnd
                skippingToNewline = true
                return .problem(tooLongRecord(line: line))
            } else {
                try window.fill()
                continue
            }
            let recordLine = line
            let start = window.start
            if next > lineEnd { line += 1 }
            window.start = next
            var end = lineEnd
            while end > start && (window.base[end - 1] == 0x0D || window.base[end - 1] == 0x20 || window.base[end - 1] == 0x09) {
                end -= 1
            }
            var first = start
            while first < end && (window.base[first] == 0x20 || window.base[first] == 0x09) { first += 1 }
            if first == end { continue }  // blank line
            switch json.parse(window.base, from: first, to: end) {
            case .success(let values):
                return .row(Row(line: recordLine, values: values))
            case .failure(let failure):
                return .problem(problem(failure.kind, line: recordLine, field: failure.column.map { columns.names[$0] }, failure.reason))
            }
        }
    }
}
