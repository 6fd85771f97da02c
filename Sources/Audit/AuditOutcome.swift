/// How an audited action ended. `refused` is a request the node declined on purpose
/// (authentication, authorisation, limits, validation); `error` is a failure on the node's side.
public enum AuditOutcome: String, Sendable, CaseIterable, Codable {
    case ok
    case refused
    case error
}
