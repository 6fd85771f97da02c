/// One accepted record: its values in `ColumnSpec.names` order, and where it starts in the file.
public struct Row: Sendable, Equatable {
    /// 1-based physical line where the record starts (the CSV header is line 1).
    public let line: Int
    /// One entry per declared column. nil means the column is absent: an optional CSV column the
    /// header lacks, or a JSONL key that is absent or null. An empty CSV cell is `""`.
    public let values: [String?]

    public init(line: Int, values: [String?]) {
        self.line = line
        self.values = values
    }
}
