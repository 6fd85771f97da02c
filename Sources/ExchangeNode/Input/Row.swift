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

/// What one `TabularReader.nextBatch` call delivers: accepted rows and refused records, each in
/// file order. A batch is never empty; it may hold only problems.
public struct RowBatch: Sendable, Equatable {
    public var rows: [Row] = []
    /// One error per refused record; reading went on after each.
    public var problems: [InputError] = []

    public init(rows: [Row] = [], problems: [InputError] = []) {
        self.rows = rows
        self.problems = problems
    }

    /// Records this batch accounts for, accepted or refused.
    public var recordCount: Int { rows.count + problems.count }
    public var isEmpty: Bool { rows.isEmpty && problems.isEmpty }
}
