/// Something worth recording: who (`actor`, `role`) did what (`action`) with which result
/// (`outcome`), plus a few facts in `detail`.
///
/// `actor` is a member id, `local` (the member's own systems or an operator on this node) or
/// `unknown` (a caller that could not be identified). `detail` holds counts, codes, member ids
/// and entry ids only, never subject identifiers; build it with ``AuditValue`` (or the
/// constructors in `AuditEvent+Catalogue.swift`). Every value is re-checked when appended.
public struct AuditEvent: Sendable, Equatable {
    public var actor: String
    public var role: AuditRole
    public var action: String
    public var outcome: AuditOutcome
    public var detail: [String: String]

    public init(
        actor: String, role: AuditRole, action: AuditAction, outcome: AuditOutcome = .ok,
        detail: [String: AuditValue] = [:]
    ) {
        self.actor = actor
        self.role = role
        self.action = action.rawValue
        self.outcome = outcome
        self.detail = detail.mapValues(\.rendered)
    }

    /// The actor name for the node's own systems and operators.
    public static let localActor = "local"
    /// The actor name for a caller that could not be identified (no or unreadable certificate).
    public static let unknownActor = "unknown"
}
