import ExchangeProtocol
import ExchangeRuntime
import Foundation

extension NodeHome {
    /// `membership.json`: the last membership document fetched from the coordinator (no secret, 0644).
    var membershipFile: URL { root.appendingPathComponent("membership.json") }
}

/// The node's copy of the coordinator's membership document, for `status` and key maintenance (the
/// deadlines and expulsions the node acted on are in its store).
enum MembershipFile {
    static func load(_ home: NodeHome) throws(NodeError) -> AllianceMembership? {
        guard FileManager.default.fileExists(atPath: home.membershipFile.path) else { return nil }
        return try NodeError.files(JSONFile.read(AllianceMembership.self, from: home.membershipFile))
    }

    static func save(_ membership: AllianceMembership, to home: NodeHome) throws(NodeError) {
        try NodeError.files(JSONFile.write(membership, to: home.membershipFile))
    }
}
