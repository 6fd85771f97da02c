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
