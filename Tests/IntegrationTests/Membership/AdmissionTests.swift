import AllianceTestSupport
import Foundation
import Testing

/// Admitting a member to a running alliance (docs/membership.md, 3): three nodes serving with their
/// sync loop and 10^5 entries between them, then a fourth member added with the operator's steps only
/// — `certs issue`, `coordinator member add`, `init`, `peers add` on each side — and no restart.
@Suite("Membership: admitting a member", .serialized)
struct AdmissionTests {
    /// 10^5 entries: member-1 lists phones 0..<40 000, member-2 40 000..<70 000, member-3 70 000..<100 000;
    /// the newcomer lists 100 000..<101 000.
    static let listed: [Range<Int>] = [0..<40_000, 40_000..<70_000, 70_000..<100_000]
    static let newcomer = 100_000..<101_000
    /// Accounts screened everywhere: some of each member's phones, and some nobody lists.
    static let accounts = Array(stride(from: 7, to: 101_000, by: 997)) + Array(200_000..<200_020)

    @Test("a fourth member joins a running alliance with 10^5 entries: it converges and its screening equals the others'")
    func aMemberAddedToARunningAllianceConverges() async throws {
        let alliance = try TestAlliance("admission")
        defer { alliance.shutdown() }
        let (nodes, coordinator) = try await alliance.createMembers(3, coordinator: true)
        let coordinatorNode = try #require(coordinator)
        for (index, node) in nodes.enumerated() {
            try alliance.setSyncInterval(1, for: node)
            #expect(try await alliance.importEntries(MembershipScene.entries(Self.listed[index], prefix: "M\(index + 1)"), at: node).succeeded)
        }
        try await alliance.serve(coordinatorNode)
        for node in nodes { try await alliance.serve(node, sync: true) }
        for node in nodes {
            try await MembershipScene.waitUntil("\(node.member) holds the 10^5 entries", timeout: .seconds(600)) {
                try await alliance.status(node).entries == 100_000
            }
        }

        // The operator's steps, nothing else: certificate, registration, home, peers on each side.
        let newcomer = try await alliance.createNode("member-4", arguments: ["--coordinator", coordinatorNode.url])
        try await alliance.must(["coordinator", "member", "add", "--home", coordinatorNode.home.path, "--member", newcomer.member,
                                 "--url", newcomer.peerURL])
        try alliance.setSyncInterval(1, for: newcomer)
        for node in nodes {
            try await alliance.addPeer(node, to: newcomer)
            try await alliance.addPeer(newcomer, to: node)
        }
        #expect(try await alliance.importEntries(MembershipScene.entries(Self.newcomer, prefix: "M4"), at: newcomer).succeeded)
        try await alliance.serve(newcomer, sync: true)

        // It backfills every feed from the start, and the running nodes pick its entries up.
        let total = 100_000 + Self.newcomer.count
        for node in nodes + [newcomer] {
            try await MembershipScene.waitUntil("\(node.member) holds all \(total) entries", timeout: .seconds(600)) {
                try await alliance.status(node).entries == total
            }
        }
        let status = try await alliance.status(newcomer)
        for (index, node) in nodes.enumerated() {
            #expect(status.entries(from: node.member) == Self.listed[index].count)
            #expect(status.cursors[node.member] == Int64(Self.listed[index].count), "\(status.cursors)")
        }
        for node in nodes { #expect(try await alliance.status(node).entries(from: newcomer.member) == Self.newcomer.count) }

        // Screening the same accounts gives the same matches everywhere, against every origin.
        let reference = try await MembershipScene.screen(alliance, newcomer, Self.accounts).set
        #expect(reference.count == Self.accounts.filter { $0 < 101_000 }.count)
        for member in (nodes + [newcomer]).map(\.member) { #expect(reference.contains { $0.contains(" \(member) ") }) }
        for node in nodes { #expect(try await MembershipScene.screen(alliance, node, Self.accounts).set == reference) }
    }
}
