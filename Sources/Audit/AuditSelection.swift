import ExchangeProtocol

/// The records a filter selected, and how many lines could not be read.
public struct AuditSelection: Sendable, Equatable {
    public var records: [AuditRecord]
    /// Lines skipped because they are not well-formed records (damage or a torn write).
    public var unreadableLines: Int
    /// Matching records left out by the limit.
    public var omitted: Int
}
