import ExchangeProtocol

/// What a certificate holder does in the alliance, recorded in its certificate as the SAN URI
/// `urn:alliance:role:<role>`.
public enum MemberRole: String, Sendable, Hashable, Codable, CaseIterable, CustomStringConvertible {
    /// A member's exchange node (the default).
    case node
    /// The alliance coordinator.
    case coordinator
    /// A person or tool operating the alliance (administration clients).
    case `operator`
    /// A member's own internal system calling its node (screening clients).
    case `internal`

    public var description: String { rawValue }
}
