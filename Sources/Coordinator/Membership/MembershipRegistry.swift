import AlliancePKI
import ExchangeProtocol
import ExchangeRuntime
import Foundation

/// `HOME/members.json`: which members exist, with their role, endpoint and allowed lists.
/// Only the coordinator writes it (`coordinator member add|remove|import`); `serve` reads it on
/// every request, so a change takes effect without a restart.
public struct MembershipRegistry: Codable, Sendable, Equatable {
    /// Sorted by member id, one entry per member.
    public private(set) var members: [RegisteredMember]

    public init(members: [RegisteredMember] = []) {
        self.members = []
        for member in members { upsert(member) }
    }

    /// The registry in `home`, empty when none was written yet.
    public static func load(from home: CoordinatorHome) throws(CoordinatorError) -> MembershipRegistry {
        guard FileManager.default.fileExists(atPath: home.membersFile.path) else { return MembershipRegistry() }
        return try CoordinatorError.files(JSONFile.read(MembershipRegistry.self, from: home.membersFile))
    }

    public func save(to home: CoordinatorHome) throws(CoordinatorError) {
        try CoordinatorError.files(JSONFile.write(self, to: home.membersFile))
    }

    public func member(_ id: String) -> RegisteredMember? { members.first { $0.member == id } }

    /// The exchange nodes, sorted.
    public var nodes: [RegisteredMember] { members.filter { $0.role == .node } }

    /// Adds `member`, replacing an entry with the same id.
    public mutating func upsert(_ member: RegisteredMember) {
        members.removeAll { $0.member == member.member }
        members.append(member)
        members.sort { $0.member < $1.member }
    }

    /// Removes a member; returns whether it was there.
    @discardableResult
    public mutating func remove(_ id: String) -> Bool {
        let before = members.count
        members.removeAll { $0.member == id }
        return members.count != before
    }

    /// Checks a new entry: a valid member id, a role the registry holds, an https URL for a node.
    package static func validated(member: String, role: MemberRole, url: String?, lists: [ListKind]) throws(CoordinatorError) -> RegisteredMember {
        do {
            _ = try MemberID(member)
        } catch {
            throw .invalidArgument("member id", underlying: error)
        }
        switch role {
        case .node:
            guard let url, let parsed = URL(string: url), parsed.scheme == "https", parsed.host != nil else {
                throw .invalidArgument("a node needs --url https://HOST:PORT")
            }
            return RegisteredMember(member: member, role: role, url: url.hasSuffix("/") ? String(url.dropLast()) : url, lists: lists)
        case .operator:
            return RegisteredMember(member: member, role: role, url: nil)
        case .coordinator, .internal:
            throw .invalidArgument("the registry holds nodes and operators, not role \(role.rawValue)")
        }
    }
}
