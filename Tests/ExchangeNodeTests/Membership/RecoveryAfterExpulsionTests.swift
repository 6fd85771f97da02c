import AllianceTestSupport
import ExchangeProtocol
import ExchangeRuntime
import Foundation
import GRDB
import NodeTestSupport
import Testing

@testable import ExchangeNode

/// A restored node recovers its own feed from every peer node before it publishes again
/// (docs/operations.md, "Design: feed recovery"). A peer expelled before it answered must not hold the
/// recovery up: once the node knows of the expulsion, the next round with any remaining peer ends it.
@Suite("Membership: feed recovery and an expelled peer")
struct RecoveryAfterExpulsionTests {
    @Test("recovery waits for a peer that is down, and ends at the next round once that peer is expelled")
    func expelledPeerStopsHoldingRecovery() async throws {
        let members = ["alpha-mall", "beta-rides", "gamma-pay"]
        let alliance = try TestAlliance("recovery-expelled", nodes: members)
        defer { alliance.shutdown() }
        let alpha = alliance.context("alpha-mall")
        try alpha.store.write { db in try FeedRecoveryState.begin(fromSeq: 0, at: NodeClock.nowMillis(), db) }

        // gamma is not serving: beta answers, gamma never does.
        try await alliance.withServers(["alpha-mall", "beta-rides"]) { runtimes in
            let runtime = runtimes["alpha-mall"]!
            let client = runtime.makePeerClient()
            do {
                try await Self.steps(alpha, recovery: FeedRecovery(node: runtime, client: client))
            } catch {
                await client.shutdown()
                throw error
            }
            await client.shutdown()
        }
    }

    static func steps(_ alpha: NodeContext, recovery: FeedRecovery) async throws {
        let beta = try #require(alpha.peers.nodes.first { $0.member == "beta-rides" })
        let gamma = try #require(alpha.peers.nodes.first { $0.member == "gamma-pay" })
        try await recovery.recoverIfNeeded(from: beta)
        #expect(try FeedRecoveryState.isPending(alpha.store), "gamma has not answered")
        await #expect(throws: NodeError.self, "gamma is down: no answer can have come") {
            try await recovery.recoverIfNeeded(from: gamma)
        }
        try await recovery.recoverIfNeeded(from: beta)
        #expect(try FeedRecoveryState.isPending(alpha.store), "another round with beta does not end it while gamma is a peer")

        // The coordinator expels gamma; the membership refresh records it and leaves it out of the live peers.
        try alpha.store.write { db in
            try db.execute(sql: """
                INSERT INTO expelled_members (member, removed_at, entries, applied_at, withdrawn, retractions)
                VALUES ('gamma-pay', '2026-12-07T00:00:00Z', 'keep', 0, 0, 0)
                """)
        }
        alpha.livePeers.setExpelled(try alpha.store.read { db in try ExpelledMembers.members(db) })
        try await recovery.recoverIfNeeded(from: beta)
        #expect(try !FeedRecoveryState.isPending(alpha.store), "the next round with beta ends the recovery")
    }
}
