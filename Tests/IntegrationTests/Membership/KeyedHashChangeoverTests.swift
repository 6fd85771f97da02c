import AlliancePKI
import AllianceTestSupport
import ExchangeCrypto
import ExchangeProtocol
import Foundation
import Testing

/// The keyed-hash token key changeover (docs/membership.md, 1): three serving nodes and their
/// coordinator, real processes over mTLS. The nodes serve without their own sync loop so that each
/// step of the changeover is taken exactly when the test says (`keys refresh`, `sync`), while screening
/// goes through each running `serve`, which must follow every change made beside it without a restart.
@Suite("Membership: keyed-hash token key changeover", .serialized)
struct KeyedHashChangeoverTests {
    /// member-1 lists phones 0..<12, member-2 8..<20, member-3 16..<28 (overlaps: one account, two origins).
    static let listed: [Range<Int>] = [0..<12, 8..<20, 16..<28]
    /// Accounts screened at every node: every listed phone and a few that nobody lists.
    static let accounts = Array(0..<32)

    /// Three members and their coordinator, entries imported, everything served and synced once.
    static func alliance(_ name: String) async throws -> (TestAlliance, [TestNode], TestCoordinator) {
        let alliance = try TestAlliance(name)
        let (nodes, coordinator) = try await alliance.createMembers(3, coordinator: true)
        let coordinatorNode = try #require(coordinator)
        for (index, node) in nodes.enumerated() {
            #expect(try await alliance.importEntries(MembershipScene.entries(listed[index], prefix: "M\(index + 1)"), at: node).succeeded)
        }
        try await alliance.serve(coordinatorNode)
        for node in nodes { try await alliance.serve(node) }
        for node in nodes { #expect(try await alliance.sync(node).succeeded) }
        return (alliance, nodes, coordinatorNode)
    }

    /// Screening at every node; they must all agree.
    static func matches(_ alliance: TestAlliance, _ nodes: [TestNode]) async throws -> Set<String> {
        var sets: [Set<String>] = []
        for node in nodes { sets.append(try await MembershipScene.screen(alliance, node, accounts).set) }
        #expect(sets.allSatisfy { $0 == sets[0] }, "the nodes disagree: \(sets)")
        return sets[0]
    }

    /// The epoch-N token of every identifier the test lists or screens.
    static func tokens(under key: AllianceTokenKey) throws -> [Data] {
        let tokenizer = KeyedHashTokenizer(key: key)
        return try accounts.map { Data(tokenizer.token(for: try SubjectIdentifier(kind: .phone, parsing: MembershipScene.phone($0))).bytes) }
    }

    /// The key's bytes as they could appear in a file: raw and base64 (the key files' form).
    static func keyForms(_ key: AllianceTokenKey) -> [Data] {
        [key.key, Data(key.key.base64EncodedString().utf8)]
    }

    @Test("three serving nodes rotate the alliance key halfway: matches are identical before, during and after, and no file under any home keeps epoch 1's key or a token under it")
    func rotatingHalfwayKeepsMatchesAndLeavesNothingOfTheOldEpoch() async throws {
        let (alliance, nodes, coordinator) = try await Self.alliance("changeover")
        defer { alliance.shutdown() }
        let homes = nodes.map(\.home) + [coordinator.home]
        // Epoch 1's key, read before the rotation replaces the CA folder's copy.
        let epoch1 = try TokenKeyFile.read(alliance.path("CA/token-key.json"))
        #expect(epoch1.epoch == 1)
        let oldTokens = try Self.tokens(under: epoch1)

        // Before: every origin's entries match somewhere, the same at every node.
        let before = try await Self.matches(alliance, nodes)
        for member in nodes.map(\.member) { #expect(before.contains { $0.contains(" \(member) ") }, "no match against \(member)") }
        #expect(before.count == Self.listed.map(\.count).reduce(0, +))
        // The scan finds what it looks for: every home holds epoch 1's key and the stores its tokens.
        let found = MembershipScene.holders(of: Self.keyForms(epoch1), under: homes)
        #expect(homes.allSatisfy { home in found.keys.contains { $0.hasPrefix(home.path + "/") } }, "\(found)")
        #expect(!MembershipScene.holders(of: oldTokens, under: nodes.map(\.home)).isEmpty)

        // The coordinator publishes epoch 2; only member-1 moves.
        let rotated = try await alliance.run(["coordinator", "token-key", "rotate", "--home", coordinator.home.path, "--deadline", "2h"])
        #expect(rotated.succeeded && rotated.stdout.contains("token key epoch 2 created"), "\(rotated)")
        let moved = try await alliance.run(["keys", "refresh", "--home", nodes[0].home.path])
        #expect(moved.succeeded && moved.stdout.contains("moved\tepoch 1 -> 2\t12 own entries re-issued"), "\(moved)")
        #expect(try await Self.matches(alliance, nodes) == before, "after member-1 moved, before anyone synced")

        // During: the two others sync member-1's re-issued entries without moving; they fetch epoch 2's key to screen them.
        for node in nodes[1...] {
            let synced = try await alliance.sync(node)
            #expect(synced.succeeded && synced.stdout.contains("token key\tacquired\tepoch 2"), "\(synced)")
        }
        #expect(try await alliance.sync(nodes[0]).succeeded)
        let during = try await alliance.run(["status", "--home", nodes[1].home.path])
        #expect(during.stdout.contains("own epoch 1") && during.stdout.contains("held 1, 2"), "\(during)")
        #expect(during.stdout.contains("member-1") && during.stdout.contains("keyed-hash epoch 2"), "\(during)")
        #expect(try await Self.matches(alliance, nodes) == before, "one node moved, two not")

        // After: the two others move, everyone syncs, and every node retires epoch 1 (no entry uses it).
        for node in nodes[1...] {
            let refreshed = try await alliance.run(["keys", "refresh", "--home", node.home.path])
            #expect(refreshed.succeeded && refreshed.stdout.contains("moved\tepoch 1 -> 2"), "\(refreshed)")
        }
        for node in nodes {
            let synced = try await alliance.sync(node)
            #expect(synced.succeeded && synced.stdout.contains("token key\tretired\tepoch 1: key and tokens deleted"), "\(synced)")
        }
        #expect(try await Self.matches(alliance, nodes) == before, "after the changeover")
        let ended = try await alliance.run(["coordinator", "token-key", "deadline", "--home", coordinator.home.path, "--deadline", "now"])
        #expect(ended.succeeded && ended.stdout.contains("retired token key epoch(s) 1"), "\(ended)")

        // Nothing of epoch 1 is left in any file under any home, WAL included.
        #expect(MembershipScene.holders(of: Self.keyForms(epoch1), under: homes).isEmpty)
        #expect(MembershipScene.holders(of: oldTokens, under: homes).isEmpty)
        // ... and the running nodes still screen the same (the new tokens are there).
        #expect(try await Self.matches(alliance, nodes) == before)
        for node in nodes {
            let records = try MembershipScene.audit(node, action: "token-key")
            #expect(records.contains { $0.action == "token-key.changeover" && $0.outcome == .ok })
            #expect(records.contains { $0.action == "token-key.retire" && $0.detail["epoch"] == "1" })
        }
    }

    @Test("a member still on the old epoch after the deadline is a stale origin (screen exit 5, stale_origins) until it moves")
    func aMemberThatDidNotMoveByTheDeadlineIsAStaleOrigin() async throws {
        let (alliance, nodes, coordinator) = try await Self.alliance("changeover-stale")
        defer { alliance.shutdown() }
        let before = try await Self.matches(alliance, nodes)
        #expect(try await alliance.run(["coordinator", "token-key", "rotate", "--home", coordinator.home.path, "--deadline", "2h"]).succeeded)
        for node in nodes[..<2] { #expect(try await alliance.run(["keys", "refresh", "--home", node.home.path]).succeeded) }
        for node in nodes { #expect(try await alliance.sync(node).succeeded) }
        // Before the deadline member-3's epoch-1 entries still count everywhere.
        #expect(try await Self.matches(alliance, nodes) == before)

        // The deadline passes with member-3 not moved: member-1 retires epoch 1 and keeps member-3's entries without tokens.
        #expect(try await alliance.run(["coordinator", "token-key", "deadline", "--home", coordinator.home.path, "--deadline", "now"]).succeeded)
        let refreshed = try await alliance.run(["keys", "refresh", "--home", nodes[0].home.path])
        #expect(refreshed.stdout.contains("token key\tretired\tepoch 1: key and tokens deleted; 12 entries kept without tokens, stale origins member-3"),
                "\(refreshed)")
        let answer = try await MembershipScene.screen(alliance, nodes[0], Self.accounts)
        #expect(answer.staleOrigins == [.init(member: "member-3", answeredEpoch: 2, storedEpochs: [1])])
        #expect(answer.set == before.filter { !$0.contains(" member-3 ") })
        let screened = try await alliance.screen("ref,kind,identifier\nacct-20,phone,\(MembershipScene.phone(20))\n", at: nodes[0],
                                                 arguments: ["--as-of", MembershipScene.asOf])
        #expect(screened.exitCode == 5 && screened.stderr.contains("stale origin: member-3"), "\(screened)")
        let status = try await alliance.run(["status", "--home", nodes[0].home.path])
        #expect(status.stdout.contains("STALE"), "\(status)")

        // member-3 moves late; once member-1 syncs its re-issued entries the condition is gone.
        let late = try await alliance.run(["keys", "refresh", "--home", nodes[2].home.path])
        #expect(late.succeeded && late.stdout.contains("moved\tepoch 1 -> 2"), "\(late)")
        #expect(try await alliance.sync(nodes[0]).succeeded)
        let after = try await MembershipScene.screen(alliance, nodes[0], Self.accounts)
        #expect(after.staleOrigins == nil)
        #expect(after.set == before)
    }
}
