import AlliancePKI
import AllianceTestSupport
import Foundation
import Testing

/// The watched base across a keyed-hash token key changeover (docs/membership.md, 1.3; docs/watch.md):
/// three serving nodes watch the same accounts; entries listed under the old epoch by a member that has
/// not moved, and under the new one before the others moved, reach every watcher exactly once, and
/// the changeover itself retracts nothing.
@Suite("Membership: the watched base across a keyed-hash changeover", .serialized)
struct WatchChangeoverTests {
    /// Every account the test lists, watched everywhere; phones 30 and 31 are listed only during the changeover.
    static let watched = Array(0..<32)

    /// `{"items":[...]}` for `POST /v1/watch`.
    static func watchBody(_ indexes: [Int]) -> String {
        "{\"items\":[" + indexes.map { "{\"ref\":\"acct-\($0)\",\"kind\":\"phone\",\"identifier\":\"\(MembershipScene.phone($0))\"}" }
            .joined(separator: ",") + "]}"
    }

    /// `type ref origin entry` of every outbox record at `node`.
    static func records(_ alliance: TestAlliance, _ node: TestNode) async throws -> [String] {
        try await MembershipScene.outbox(alliance, node).map { _, record in
            "\(record["type"] as? String ?? "?") \(record["ref"] as? String ?? "?") \(record["origin"] as? String ?? "?") \(record["entry_id"] as? String ?? "?")"
        }
    }

    @Test("watched accounts keep matching through a changeover: entries of a member that has not moved and of one that has reach every watcher once, and nothing is retracted")
    func watchedAccountsFollowTheChangeover() async throws {
        let (alliance, nodes, coordinator) = try await KeyedHashChangeoverTests.alliance("watch-changeover")
        defer { alliance.shutdown() }
        for node in nodes {
            let answer = try await alliance.internalAPI(node, "POST", "/v1/watch", body: Self.watchBody(Self.watched))
            #expect(answer.status == 200, "\(answer.body)")
        }
        // The registration put the current matches in the outbox; read them before a screen (which records too) agrees.
        var registered: [[String]] = []
        for node in nodes { registered.append(try await Self.records(alliance, node)) }
        let before = try await KeyedHashChangeoverTests.matches(alliance, nodes)
        for (node, records) in zip(nodes, registered) {
            #expect(Set(records) == Set(before.map { "match " + $0 }) && records.count == before.count, "\(node.member): \(records)")
        }

        // The watch index keeps a 64-bit fingerprint of each account's epoch-1 token: its first 8 bytes (the
        // token's first big-endian word, stored by SQLite big-endian). Phones 28 and 29 are listed nowhere, so
        // only the watch index holds theirs: the scan finds them now, and must find none of them once epoch 1
        // is retired.
        let epoch1 = try TokenKeyFile.read(alliance.path("CA/token-key.json"))
        let fingerprints = try KeyedHashChangeoverTests.tokens(under: epoch1).map { Data($0.prefix(8)) }
        #expect(!MembershipScene.holders(of: [fingerprints[28], fingerprints[29]], under: nodes.map(\.home)).isEmpty,
                "the scan finds fingerprints only the watch index holds")

        // Epoch 2; member-1 moves. member-2, still on epoch 1, lists phone 30.
        #expect(try await alliance.run(["coordinator", "token-key", "rotate", "--home", coordinator.home.path, "--deadline", "2h"]).succeeded)
        let moved = try await alliance.run(["keys", "refresh", "--home", nodes[0].home.path])
        #expect(moved.succeeded && moved.stdout.contains("moved\tepoch 1 -> 2"), "\(moved)")
        #expect(try await alliance.importEntries(MembershipScene.entries(30..<31, prefix: "M2"), at: nodes[1]).succeeded)
        // member-1, on epoch 2, lists phone 31 while the two others are still on epoch 1.
        #expect(try await alliance.importEntries(MembershipScene.entries(31..<32, prefix: "M1"), at: nodes[0]).succeeded)
        for node in nodes { #expect(try await alliance.sync(node).succeeded) }
        // Within that round, with the old epoch's domain: member-2's epoch-1 listing reaches member-1, which moved.
        for node in nodes {
            let records = try await Self.records(alliance, node)
            #expect(records.contains("match acct-30 member-2 M2-30"), "\(node.member): \(records)")
        }
        #expect(try await Self.records(alliance, nodes[0]).contains("match acct-31 member-1 M1-31"))

        // The two others move (member-1's epoch-2 entry is matched as they move), then all sync and retire epoch 1.
        for node in nodes[1...] {
            let refreshed = try await alliance.run(["keys", "refresh", "--home", node.home.path])
            #expect(refreshed.succeeded && refreshed.stdout.contains("moved\tepoch 1 -> 2"), "\(refreshed)")
        }
        for node in nodes { #expect(try await alliance.sync(node).succeeded) }
        for node in nodes { #expect(try await alliance.sync(node).succeeded) }

        // The outboxes first (screening records its matches in the outbox too), then a screen agrees with them.
        let expected = before.union(["acct-30 member-2 M2-30", "acct-31 member-1 M1-31"])
        for node in nodes {
            let records = try await Self.records(alliance, node)
            #expect(records.filter { $0.hasPrefix("retraction ") }.isEmpty, "\(node.member): \(records)")
            #expect(Set(records) == Set(expected.map { "match " + $0 }) && records.count == expected.count, "\(node.member): \(records)")
        }
        #expect(try await KeyedHashChangeoverTests.matches(alliance, Array(nodes)) == expected)
        // Every node retired epoch 1: no watch index row of it is left in any file.
        for node in nodes {
            #expect(try MembershipScene.audit(node, action: "token-key.retire").contains { $0.detail["epoch"] == "1" }, "\(node.member)")
        }
        #expect(MembershipScene.holders(of: fingerprints, under: nodes.map(\.home)).isEmpty)
    }
}
