import AllianceTestSupport
import Foundation
import GRDB
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The pairwise scheme's coverage under a peer's daily masking budget, over real mTLS between real
/// processes: partial coverage, continuation on the following days, re-coverage after the peer
/// rotates its key (reported stale meanwhile), and no record lost or repeated on the way.
/// `EXCHANGE_NODE_DAY_OFFSET=N` runs both nodes N days ahead.
@Suite("Watch: pairwise coverage under budgets", .serialized)
struct WatchCoverageTests {
    static func phone(_ index: Int) -> String { String(13_700_000_300 + index) }

    @Test("a budget of 5 covers 5 accounts a day; the rest follows on the next days; a key rotation is re-covered")
    func budgetsAndRotation() async throws {
        let scene = try await WatchScene.make("watch-budget", members: ["alpha", "beta"], scheme: "ecdh-x25519",
                                              budgets: ["alpha": ["beta": 5]])
        defer { scene.alliance.shutdown() }
        try await scene.importEntries("alpha", [1, 5, 10].map { "N\($0),black,brushing,2,phone,\(Self.phone($0)),2026-01-01,2099-01-01" },
                                      name: "entries")
        var alpha = try await scene.alliance.serve(scene.node("alpha"))
        func day(_ offset: Int) -> [String: String] { ["EXCHANGE_NODE_DAY_OFFSET": String(offset)] }
        func restartAlpha(_ offset: Int) async throws {
            alpha.send(SIGTERM)
            _ = await alpha.finish()
            alpha = try await scene.alliance.serve(scene.node("alpha"), environment: day(offset))
        }
        try await scene.sync("beta")

        let file = try scene.accounts((0..<12).map { "acc-\($0),phone,\(Self.phone($0))" }, name: "accounts.csv")
        let added = try await scene.must("beta", ["watch", "add"], [file.path])
        #expect(added.stdout.contains("registered 12 accounts (12 new, 0 replaced, 0 unchanged); 1 current matches went to the outbox"), "\(added)")
        #expect(added.stderr.contains("note: alpha has not covered every watched account yet (daily masking budget used: coverage continues tomorrow)"),
                "\(added.stderr)")
        var coverage = try await scene.coverage("beta", peer: "alpha")
        #expect(coverage.covered == 5 && coverage.pending == 7 && coverage.epoch == 1 && !coverage.stale && coverage.overBudget, "\(coverage)")
        #expect(try scene.outbox("beta").keys("match") == ["acc-1 alpha N1"])
        try await scene.sync("beta")
        #expect(try await scene.coverage("beta", peer: "alpha").covered == 5, "no asks once the budget is used")
        #expect(try Self.masked(scene, day: WatchScene.day(0)) == 5)

        try await restartAlpha(1)
        try await scene.sync("beta", environment: day(1))
        coverage = try await scene.coverage("beta", peer: "alpha")
        #expect(coverage.covered == 10 && coverage.pending == 2, "\(coverage)")
        try await restartAlpha(2)
        try await scene.sync("beta", environment: day(2))
        coverage = try await scene.coverage("beta", peer: "alpha")
        #expect(coverage.covered == 12 && coverage.pending == 0 && !coverage.stale, "\(coverage)")
        #expect(try scene.outbox("beta").keys("match") == ["acc-1 alpha N1", "acc-10 alpha N10", "acc-5 alpha N5"])
        #expect(try Self.masked(scene, day: WatchScene.day(1)) == 5 && Self.masked(scene, day: WatchScene.day(2)) == 2)

        // alpha rotates its key: its entries come back under epoch 2; beta's coverage of alpha is stale
        // and asked again within the budget (3 left today); nothing is emitted twice or retracted.
        alpha.send(SIGTERM)
        _ = await alpha.finish()
        try await scene.alliance.must(["keys", "rotate", "--home", scene.node("alpha").home.path], environment: day(2))
        alpha = try await scene.alliance.serve(scene.node("alpha"), environment: day(2))
        try await scene.sync("beta", environment: day(2))
        coverage = try await scene.coverage("beta", peer: "alpha")
        #expect(coverage.covered == 3 && coverage.pending == 9 && coverage.epoch == 2 && coverage.stale, "\(coverage)")
        try await restartAlpha(3)
        try await scene.sync("beta", environment: day(3))
        try await restartAlpha(4)
        try await scene.sync("beta", environment: day(4))
        coverage = try await scene.coverage("beta", peer: "alpha")
        #expect(coverage.covered == 12 && coverage.pending == 0 && coverage.epoch == 2 && !coverage.stale, "\(coverage)")
        #expect(try scene.node("beta").watchFilterInStep(), "the peer rows coverage wrote are in the stored index filter")

        // A listing after the rotation reaches the re-covered account within one round.
        try await scene.importEntries("alpha", ["N11,black,brushing,1,phone,\(Self.phone(11)),2026-01-01,2099-01-01"], name: "later")
        try await scene.sync("beta", environment: day(4))
        let outbox = try scene.outbox("beta")
        #expect(outbox.map { "\($0.type) \($0.key)" } == ["match acc-1 alpha N1", "match acc-5 alpha N5", "match acc-10 alpha N10",
                                                         "match acc-11 alpha N11"])
    }

    @Test("when the watcher rotates its own key, its own values are re-derived and every peer covers the base again")
    func ownRotation() async throws {
        let scene = try await WatchScene.make("watch-own-rotation", members: ["alpha", "beta"], scheme: "ecdh-x25519")
        defer { scene.alliance.shutdown() }
        try await scene.importEntries("alpha", ["N1,black,brushing,2,phone,\(Self.phone(1)),2026-01-01,2099-01-01"], name: "entries")
        try await scene.importEntries("beta", ["B2,black,brushing,2,phone,\(Self.phone(2)),2026-01-01,2099-01-01"], name: "own")
        try await scene.serve(["alpha"])
        try await scene.sync("beta")
        let file = try scene.accounts((1...3).map { "acc-\($0),phone,\(Self.phone($0))" }, name: "accounts.csv")
        try await scene.must("beta", ["watch", "add"], [file.path])
        #expect(try scene.outbox("beta").keys("match") == ["acc-1 alpha N1", "acc-2 beta B2"])

        try await scene.must("beta", ["keys", "rotate"])
        let own = try await scene.status("beta")["own"] as? [String: Any]
        #expect(own?["key_epoch"] as? Int == 2 && own?["covered"] as? Int == 3, "\(String(describing: own))")
        var coverage = try await scene.coverage("beta", peer: "alpha")
        #expect(coverage.covered == 0 && coverage.pending == 3 && coverage.stale, "\(coverage)")
        try await scene.sync("beta")
        coverage = try await scene.coverage("beta", peer: "alpha")
        #expect(coverage.covered == 3 && !coverage.stale && coverage.epoch == 1, "\(coverage)")
        #expect(try scene.node("beta").watchFilterInStep(), "the re-derived own rows are in the stored index filter")
        // Nothing emitted twice; new listings on both sides still reach the watched accounts.
        try await scene.importEntries("alpha", ["N3,black,brushing,1,phone,\(Self.phone(3)),2026-01-01,2099-01-01"], name: "later")
        try await scene.importEntries("beta", ["B3,black,brushing,1,phone,\(Self.phone(3)),2026-01-01,2099-01-01"], name: "later")
        try await scene.sync("beta")
        let records = try scene.outbox("beta").map { "\($0.type) \($0.key)" }
        #expect(records == ["match acc-2 beta B2", "match acc-1 alpha N1", "match acc-3 beta B3", "match acc-3 alpha N3"], "\(records)")
    }

    /// Values alpha masked for beta on `day` (its budget ledger).
    static func masked(_ scene: WatchScene, day: String) throws -> Int {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: scene.node("alpha").storePath, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read { db in
            try Int.fetchOne(db, sql: "SELECT used FROM masking_usage WHERE peer = 'beta' AND day = ?", arguments: [day]) ?? 0
        }
    }
}
