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

/// The SAN URIs that carry a certificate holder's alliance identity.
enum AllianceURI {
    static let memberPrefix = "urn:alliance:member:"
    static let rolePrefix = "urn:alliance:role:"

    static func member(_ id: MemberID) -> String { memberPrefix + id.rawValue }
    static func role(_ role: MemberRole) -> String { rolePrefix + role.rawValue }
}
