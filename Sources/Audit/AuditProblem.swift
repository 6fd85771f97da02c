/// The first problem found, located by sequence number.
public struct AuditProblem: Sendable, Equatable, CustomStringConvertible {
    public var seq: UInt64
    public var kind: AuditProblemKind
    /// What was found, in words (no record content is quoted).
    public var explanation: String

    public var description: String { "seq \(seq): \(kind.rawValue): \(explanation)" }
}
