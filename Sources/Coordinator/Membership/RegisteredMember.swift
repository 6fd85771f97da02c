import AlliancePKI
import ExchangeProtocol

/// One entry of the coordinator's membership registry: an exchange node (with the URL peers
/// reach it at and the lists it may receive) or an operator allowed to read the dashboard.
public struct RegisteredMember: Codable, Sendable, Equatable {
    /// The member id, as in its certificate's `urn:alliance:member:` URI.
    public var member: String
    /// `node` or `operator`; a caller's certificate must carry the same role.
    public var role: MemberRole
    /// Base URL of a node's peer listener (`https://HOST:PORT`); nil for operators.
    public var url: String?
    /// Lists the node may receive from its peers.
    public var lists: [ListKind]

    public init(member: String, role: MemberRole, url: String?, lists: [ListKind] = ListKind.allCases) {
        self.member = member
        self.role = role
        self.url = url
        self.lists = role == .node ? lists : []
    }
}
