/// The columns a caller wants from a tabular file, by name: the required ones first, then the
/// optional ones. Rows carry their values in exactly this order (`names`).
///
/// Columns (CSV) or keys (JSONL) the file has but the spec does not name are ignored.
public struct ColumnSpec: Sendable, Equatable {
    public let required: [String]
    public let optional: [String]
    /// `required + optional`: the order of `Row.values`.
    public let names: [String]

    /// Names must be non-empty and distinct, and there must be at least one (a programming error otherwise).
    public init(required: [String], optional: [String] = []) {
        let names = required + optional
        precondition(!names.isEmpty, "ColumnSpec needs at least one column")
        precondition(Set(names).count == names.count, "ColumnSpec names must be distinct")
        precondition(!names.contains(where: \.isEmpty), "ColumnSpec names must be non-empty")
        self.required = required
        self.optional = optional
        self.names = names
    }

    public var count: Int { names.count }

    /// The position of `name` in `Row.values`, or nil when the spec does not declare it.
    public func index(of name: String) -> Int? { names.firstIndex(of: name) }

    public func isRequired(at index: Int) -> Bool { index < required.count }
}
