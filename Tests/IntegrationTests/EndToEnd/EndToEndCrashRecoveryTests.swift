import AllianceTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A node that crashes mid-exchange: `sync` is SIGKILLed several times while it pulls 50 000 entries,
/// every intermediate state is consistent, and the next clean `sync` ends exactly where a fresh node does.
@Suite("EndToEnd: SIGKILL during sync")
struct EndToEndCrashRecoveryTests {
    static let entryCount = 50_000

    @Test("sync killed at several points resumes to the same entries and cursor as a clean sync")
    func killedSyncResumes() async throws {
        let workspace = try TestAlliance("crash")
        defer { workspace.shutdown() }
        try await workspace.createCA("CA")
        let alpha = try await workspace.createNode("alpha")
        let beta = try await workspace.createNode("beta")
        let gamma = try await workspace.createNode("gamma")
        for peer in [beta, gamma] {
            try await workspace.addPeer(peer, to: alpha)
            try await workspace.addPeer(alpha, to: peer)
        }
        let entries = try workspace.write(E2EFixtures.phoneEntriesCSV(count: Self.entryCount), to: "alpha-50k.csv")
        try await workspace.must(["import", "--home", alpha.home.path, entries.path])
        try await workspace.serve(alpha)

        // Kill beta's sync after growing delays (0.15 s, 0.25 s, ...) until three kills have hit a running sync
        // and one of them landed mid-transfer (some but not all entries applied), or a sync outruns its kill.
        var killsThatLanded = 0
        var landedMidTransfer = false
        var delay = Duration.milliseconds(150)
        for _ in 0..<20 where !(landedMidTransfer && killsThatLanded >= 3) {
            // Pages and transactions of 2 000 events, so that a kill can land between two of them.
            let sync = try workspace.launch(TestPaths.binary, ["sync", "--home", beta.home.path, "--page-size", "2000",
                                                              "--events-per-transaction", "2000"],
                                            label: "sync beta (to be killed)")
            try await Task.sleep(for: delay)
            sync.send(SIGKILL)
            let ended = await sync.finish(timeout: .seconds(60))
            workspace.record(ended)
            let status = try NodeStatusSnapshot.decode(try await workspace.run(["status", "--home", beta.home.path, "--json"]))
            let applied = status.entries(from: "alpha", status: "active")
            // Each entry is one event here, so a consistent store has exactly as many entries as its cursor says.
            #expect(applied == (status.cursors["alpha"] ?? 0),
                    "after a kill at \(delay): \(applied) entries but cursor \(status.cursors)")
            if ended.killedBySignal {
                killsThatLanded += 1
                landedMidTransfer = landedMidTransfer || (applied > 0 && applied < Self.entryCount)
            } else {
                #expect(ended.succeeded, "sync that outran the kill: \(ended)")
                break
            }
            delay += .milliseconds(100)
        }
        #expect(killsThatLanded >= 2, "only \(killsThatLanded) kill(s) hit a running sync")
        #expect(landedMidTransfer, "no kill landed between the first and the last page")

        let resumed = try await workspace.run(["sync", "--home", beta.home.path])
        #expect(resumed.succeeded && resumed.stdout.hasPrefix("alpha\tok\t"), "\(resumed)")
        let clean = try await workspace.run(["sync", "--home", gamma.home.path])
        #expect(clean.succeeded, "\(clean)")
        #expect(clean.stdout.contains("alpha\tok\t\(Self.entryCount) applied"), "\(clean)")

        let betaStatus = try NodeStatusSnapshot.decode(try await workspace.run(["status", "--home", beta.home.path, "--json"]))
        let gammaStatus = try NodeStatusSnapshot.decode(try await workspace.run(["status", "--home", gamma.home.path, "--json"]))
        #expect(betaStatus.entries(from: "alpha", status: "active") == Self.entryCount, "beta: \(betaStatus.counts)")
        #expect(gammaStatus.entries(from: "alpha", status: "active") == Self.entryCount, "gamma: \(gammaStatus.counts)")
        #expect(betaStatus.tokens == Self.entryCount && gammaStatus.tokens == Self.entryCount)
        #expect(betaStatus.cursors["alpha"] != nil)
        #expect(betaStatus.cursors["alpha"] == gammaStatus.cursors["alpha"],
                "beta \(betaStatus.cursors) vs gamma \(gammaStatus.cursors)")
        #expect(Set(betaStatus.counts.filter { $0.origin == "alpha" }) == Set(gammaStatus.counts.filter { $0.origin == "alpha" }))
    }
}
