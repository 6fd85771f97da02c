/// Who acted, as far as the audit log is concerned: a peer node over mTLS, the coordinator, the
/// node itself (background work such as checkpoints), an operator at the command line, or the
/// member's own systems calling the node's local API.
public enum AuditRole: String, Sendable, CaseIterable, Codable {
    case peer
    case coordinator
    case `internal`
    case `operator`
    case local
}
