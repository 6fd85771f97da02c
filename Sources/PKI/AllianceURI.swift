import ExchangeProtocol

/// The SAN URIs that carry a certificate holder's alliance identity.
enum AllianceURI {
    static let memberPrefix = "urn:alliance:member:"
    static let rolePrefix = "urn:alliance:role:"

    static func member(_ id: MemberID) -> String { memberPrefix + id.rawValue }
    static func role(_ role: MemberRole) -> String { rolePrefix + role.rawValue }
}
