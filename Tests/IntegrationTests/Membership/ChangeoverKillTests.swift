import AllianceTestSupport
import ExchangeCrypto
import ExchangeProtocol
import Foundation
import GRDB
import Testing

/// SIGKILL during a token-key changeover (docs/membership.md, 1.3): whenever `keys refresh` dies, the home
/// is either wholly at the old epoch or wholly at the new one once it is opened again — every own entry
/// under the epoch of `token-key.json`, one sequence number per event, no `.next` left behind — and a
/// later run completes the move.
@Suite("Membership: SIGKILL during a changeover", .serialized)
struct ChangeoverKillTests {
    static let entries = 20_000

    /// The own entries' epochs, the own key's epoch and whether the feed's sequence numbers are whole.
    struct State: CustomStringConvertible {
        let ownEpochs: Set<Int64>
        let keyEpoch: UInt32
        let entries: Int
        let head: Int64
        let maxSeq: Int64
        var description: String { "own epochs \(ownEpochs.sorted()), key epoch \(keyEpoch), \(entries) entries, head \(head), max seq \(maxSeq)" }
    }

    /// Opens the home as any command would (an interrupted changeover is resolved first), then reads it.
    static func state(_ alliance: TestAlliance, _ node: TestNode) async throws -> State {
        let shown = try await alliance.run(["keys", "show", "--home", node.home.path])
        #expect(shown.succeeded, "the home does not open after the kill: \(shown)")
        #expect(!FileManager.default.fileExists(atPath: node.home.appending(path: "keys/token-key.next.json").path))
        let key = try JSONDecoder().decode(AllianceTokenKey.self, from: Data(contentsOf: node.home.appending(path: "keys/token-key.json")))
        let queue = try DatabaseQueue(path: node.storePath)
        return try await queue.read { db in
            State(ownEpochs: Set(try Int64.fetchAll(db, sql: "SELECT DISTINCT epoch FROM entries WHERE origin = ?", arguments: [node.member])),
                  keyEpoch: key.epoch,
                  entries: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM entries WHERE origin = ?", arguments: [node.member]) ?? 0,
                  head: try Int64.fetchOne(db, sql: "SELECT value FROM node_state WHERE key = 'own_seq'") ?? 0,
                  maxSeq: try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM entries WHERE origin = ?", arguments: [node.member]) ?? 0)
        }
    }

    @Test("a changeover killed at any moment leaves the home wholly before or wholly after it, and a later run completes it")
    func aKilledChangeoverLeavesTheHomeBeforeOrAfterIt() async throws {
        let alliance = try TestAlliance("changeover-kill")
        defer { alliance.shutdown() }
        let (nodes, coordinator) = try await alliance.createMembers(1, coordinator: true)
        let node = nodes[0]
        let coordinatorNode = try #require(coordinator)
        #expect(try await alliance.importEntries(MembershipScene.entries(0..<Self.entries, prefix: "K"), at: node).succeeded)
        try await alliance.serve(coordinatorNode)
        #expect(try await alliance.run(["coordinator", "token-key", "rotate", "--home", coordinatorNode.home.path]).succeeded)

        var outcomes: [String] = []
        for delay in [30, 120, 300, 600, 1_000, 1_600, 2_400] {
            let refresh = try alliance.start(["keys", "refresh", "--home", node.home.path], label: "keys refresh (killed)")
            try await Task.sleep(for: .milliseconds(delay))
            refresh.killNow()
            let result = await refresh.finish(timeout: .seconds(30))
            alliance.record(result)
            let state = try await Self.state(alliance, node)
            outcomes.append("\(delay) ms: \(result.killedBySignal ? "killed" : "finished"), \(state)")
            #expect(state.entries == Self.entries, "\(state)")
            #expect(state.ownEpochs == [Int64(state.keyEpoch)], "own entries under several epochs or not the key's: \(state)")
            #expect(state.head == state.maxSeq, "\(state)")
            if state.keyEpoch == 2 { break }
        }
        let completed = try await alliance.run(["keys", "refresh", "--home", node.home.path])
        #expect(completed.succeeded, "\(completed)")
        let final = try await Self.state(alliance, node)
        #expect(final.keyEpoch == 2 && final.ownEpochs == [2] && final.head == final.maxSeq, "\(final); \(outcomes)")
        // Moved exactly once: every own entry has one re-issued version, whatever was killed before.
        #expect(final.head == Int64(2 * Self.entries), "\(final); \(outcomes)")
    }
}
