import AllianceTestSupport
import ExchangeProtocol
import ExchangeRuntime
import Foundation
import Testing

@testable import ExchangeAudit

/// Expelling one of four members (docs/membership.md, 2): four nodes serving with their sync loop (1 s)
/// and their coordinator beside the CA, real processes over mTLS. `coordinator member remove` revokes,
/// rotates and publishes in one step; every peer must stop exchanging with the member within one round
/// and apply the alliance's policy for its entries.
@Suite("Membership: expelling a member", .serialized)
struct ExpulsionTests {
    /// member-1..3 list phones 0..<10, 10..<20, 20..<30; member-4 (expelled) lists 25..<40, so some of its
    /// entries match accounts the others screen and some match nothing.
    static let listed: [Range<Int>] = [0..<10, 10..<20, 20..<30, 25..<40]
    /// Each remaining member screens these (member-4's phones 25..<33 among them).
    static let accounts = Array(0..<33)

    @Test("withdraw: refused by every peer within one round, and the retraction records are exactly those of its matched entries")
    func expellingWithWithdrawRetractsExactlyItsMatches() async throws {
        try await expel(policy: "withdraw")
    }

    @Test("keep: refused by every peer within one round, and its entries keep matching with no retraction")
    func expellingWithKeepKeepsItsEntries() async throws {
        try await expel(policy: "keep")
    }

    func expel(policy: String) async throws {
        let alliance = try TestAlliance("expel-\(policy)")
        defer { alliance.shutdown() }
        let (nodes, coordinator) = try await alliance.createMembers(4, coordinator: true)
        let coordinatorNode = try #require(coordinator)
        for (index, node) in nodes.enumerated() {
            try alliance.setSyncInterval(1, for: node)
            #expect(try await alliance.importEntries(MembershipScene.entries(Self.listed[index], prefix: "M\(index + 1)"), at: node).succeeded)
        }
        try await alliance.serve(coordinatorNode)
        for node in nodes { try await alliance.serve(node, sync: true) }
        let expelled = nodes[3]
        let peers = Array(nodes[..<3])
        let everyEntry = Self.listed.map(\.count).reduce(0, +)
        for node in nodes {
            try await MembershipScene.waitUntil("\(node.member) holds every entry") {
                try await alliance.status(node).entries == everyEntry
            }
        }
        // Each remaining member screens its accounts; the matches against member-4's entries are recorded.
        var matchedAgainstExpelled: [String: Set<String>] = [:]
        var outboxBefore: [String: Int64] = [:]
        for peer in peers {
            let answer = try await MembershipScene.screen(alliance, peer, Self.accounts)
            let fromExpelled = answer.matches.filter { $0.origin == expelled.member }
            #expect(fromExpelled.count == 8, "\(peer.member): \(answer.matches)")  // phones 25..<33
            matchedAgainstExpelled[peer.member] = Set(fromExpelled.map { "\($0.ref) \($0.kind) \($0.origin) \($0.entryID)" })
            outboxBefore[peer.member] = try await MembershipScene.outbox(alliance, peer).map(\.seq).max() ?? 0
        }
        let removed = try await alliance.run(["coordinator", "member", "remove", "--home", coordinatorNode.home.path,
                                              "--member", expelled.member, "--entries", policy])
        let removedAt = NodeClock.nowMillis()
        #expect(removed.succeeded, "\(removed)")
        #expect(removed.stdout.contains("revoked the certificate of \(expelled.member)"), "\(removed)")
        #expect(removed.stdout.contains("token key epoch 2 created"), "\(removed)")
        #expect(removed.stdout.contains("its entries: \(policy)"), "\(removed)")

        // Within one round: once the removal is done, each peer finishes at most the round it is in (one
        // pull per peer) before the next round applies the expulsion, and it never pulls from it again.
        for peer in peers {
            try await MembershipScene.waitUntil("\(peer.member) applied the expulsion") {
                try MembershipScene.audit(peer, action: "member.expelled").contains { $0.detail["member"] == expelled.member }
            }
            let records = try MembershipScene.audit(peer)
            let applied = try #require(records.firstIndex { $0.action == "member.expelled" && $0.detail["member"] == expelled.member })
            #expect(records[applied].detail["entries"] == policy)
            let appliedAt = try #require(ISO8601.parse(records[applied].time))
            // Feed loops run per peer beside the membership loop: each peer's round in progress, and at most one
            // more that started just before the refresh, may end between the removal and its application.
            let pullsBefore = records[..<applied].filter {
                $0.action == "sync.pull" && (ISO8601.parse($0.time) ?? 0) >= removedAt && (ISO8601.parse($0.time) ?? 0) <= appliedAt
            }
            let fromExpelled = pullsBefore.filter { $0.actor == expelled.member }.count
            #expect(fromExpelled <= 1, "\(peer.member) pulled \(fromExpelled) times from \(expelled.member) after the removal before applying it")
            for other in nodes.map(\.member) where other != peer.member {
                let pulls = pullsBefore.filter { $0.actor == other }.count
                #expect(pulls <= 2, "\(peer.member) pulled \(pulls) times from \(other) after the removal before applying it")
            }
            #expect(!records[(applied + 1)...].contains { $0.action == "sync.pull" && $0.actor == expelled.member && $0.outcome == .ok })
        }

        // Every peer refuses it: its sync fails at each, and a client presenting its certificate is cut off in the handshake.
        let synced = try await alliance.sync(expelled)
        for peer in peers { #expect(synced.stdout.contains("\(peer.member)\tFAILED"), "\(synced)") }
        for peer in peers {
            let refused = try await alliance.curl(alliance.identity(expelled.member) + [peer.peerURL + "/v1/health"])
            #expect(refused.exitCode == 56 || refused.exitCode == 35, "\(peer.member) answered the expelled member: \(refused)")
            let healthy = try await alliance.curl(alliance.identity(nodes[0].member) + [peer.peerURL + "/v1/health"])
            #expect(healthy.succeeded, "\(healthy)")
        }

        for peer in peers {
            let records = try await MembershipScene.outbox(alliance, peer, after: outboxBefore[peer.member]!)
            let retractions = records.filter { $0.record["type"] as? String == "retraction" }
            let retracted = Set(retractions.map { record in
                ["ref", "kind", "origin", "entry_id"].map { record.record[$0] as? String ?? "?" }.joined(separator: " ")
            })
            let answer = try await MembershipScene.screen(alliance, peer, Self.accounts)
            let status = try await alliance.status(peer)
            if policy == "withdraw" {
                // Exactly one retraction per match against its entries, with the reason, and nothing else.
                #expect(retracted == matchedAgainstExpelled[peer.member]!, "\(peer.member): \(retracted)")
                #expect(retractions.count == matchedAgainstExpelled[peer.member]!.count)
                #expect(retractions.allSatisfy { $0.record["reason"] as? String == "member-expelled" })
                #expect(!answer.matches.contains { $0.origin == expelled.member })
                #expect(status.entries(from: expelled.member) == 0)
                #expect(try peer.ledgerInStep(), "\(peer.member): the expelled member's rows left the anti-entropy ledger")
            } else {
                #expect(retractions.isEmpty, "\(peer.member): \(retractions.map(\.record))")
                #expect(answer.matches.filter { $0.origin == expelled.member }.count == 8)
                #expect(status.entries(from: expelled.member) == Self.listed[3].count)
            }
            // The other members' matches are untouched — unless the changeover the removal started is under way
            // and this node does not hold the new epoch's key yet: those origins are then reported stale, never
            // silently missing (their matches are checked again below, once every node moved).
            let others = answer.matches.filter { $0.origin != expelled.member }.count
            #expect(others == Self.accounts.filter { $0 < 30 }.count || !(answer.staleOrigins ?? []).isEmpty,
                    "\(peer.member): \(others) matches, stale origins \(String(describing: answer.staleOrigins))")
        }

        // The removal started a token key changeover: the serving nodes move to epoch 2 on their own (their
        // membership loop; no `keys refresh`), and the remaining members' matches stay the same throughout.
        for peer in peers {
            try await MembershipScene.waitUntil("\(peer.member) moved to token key epoch 2") {
                try await alliance.run(["status", "--home", peer.home.path]).stdout.contains("own epoch 2")
            }
            #expect(try MembershipScene.audit(peer, action: "token-key.changeover").contains { $0.outcome == .ok })
        }
        for peer in peers {
            try await MembershipScene.waitUntil("\(peer.member) holds the others' entries under epoch 2") {
                let answer = try await MembershipScene.screen(alliance, peer, Self.accounts)
                return answer.matches.filter { $0.origin != expelled.member }.count == Self.accounts.filter { $0 < 30 }.count
                    && answer.staleOrigins == nil
            }
        }
    }
}
