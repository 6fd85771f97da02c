import AllianceTestSupport
import Foundation
import Testing

/// The watch's SIGKILL phase under the pairwise scheme, on an alliance of its own (alpha publishes and
/// masks, beta is killed, gamma does the same without kills). A pairwise `watch add` registers, then
/// asks alpha over mTLS to mask the new accounts (coverage, one transaction per chunk); the kill lands in
/// either. After each restart beta's watch-born records and its coverage of alpha equal gamma's. Then
/// beta's `sync` is killed while it applies alpha's listings of watched accounts, as in phase 4.
extension KillCampaignTests {
    @Test("SIGKILL during a pairwise watch registration, its coverage and a sync producing its matches",
          .enabled(if: KillCampaignSettings.current != nil))
    func pairwiseWatchCampaign() async throws {
        let settings = try #require(KillCampaignSettings.current)
        let alliance = try TestAlliance("kills-pairwise")
        defer { alliance.shutdown() }
        var clock = KillClock(seed: settings.seed &+ 1)
        try await alliance.createCA()
        let pairwise = ["--scheme", "ecdh-x25519"]
        let alpha = try await alliance.createNode("alpha", arguments: pairwise)
        let beta = try await alliance.createNode("beta", arguments: pairwise)
        let gamma = try await alliance.createNode("gamma", arguments: pairwise)
        for node in [beta, gamma] {
            try await alliance.addPeer("alpha", url: alpha.peerURL, to: node)
            try await alliance.addPeer(node.member, url: node.peerURL, to: alpha)
        }
        // Four X25519 per pair: a third of the keyed-hash phase's accounts keeps the phase as short.
        let count = max(100, settings.entriesPerFile / 3)
        var listed = FaultFixtures.header + "\n"
        for index in 0..<count { listed += "P-\(index),black,brushing,2,phone,\(Self.pairwisePhone(round: 0, index: index)),2026-01-01,2099-01-01\n" }
        try await alliance.must(["import", "--home", alpha.home.path, try alliance.write(listed, to: "pairwise-listed.csv").path])
        let server = try await alliance.serve(alpha)
        defer { server.killNow() }
        for node in [beta, gamma] { try await alliance.must(["sync", "--home", node.home.path]) }

        var register = KillPhaseFigures(phase: "watch add (pairwise)")
        var syncing = KillPhaseFigures(phase: "sync with watch matches (pairwise)")
        let started = ContinuousClock.now
        var syncSeconds = 0.0
        var duringCoverage = 0
        let betaStore = FaultStore(beta), gammaStore = FaultStore(gamma)
        for round in 1...settings.killsPerPhase {
            // Half of the accounts are listed by alpha already, half alpha lists below.
            var text = "ref,kind,identifier\n"
            for index in 0..<count {
                let phone = Self.pairwisePhone(round: index % 2 == 0 ? 0 : round, index: index)
                text += "p\(round)-\(index),phone,\(phone)\n"
            }
            let file = try alliance.write(text, to: "pairwise-watch-\(round).csv")
            let timer = ContinuousClock.now
            try await alliance.must(["watch", "add", "--home", gamma.home.path, file.path])
            let window = (ContinuousClock.now - timer) * 1.2
            let watchedBefore = try Self.watchedCount(betaStore)
            let coveredBefore = try await Self.coveredByAlpha(beta, in: alliance)
            let ended = try await killAtRandom(alliance, ["watch", "add", "--home", beta.home.path, file.path],
                                               label: "pairwise watch add \(round)", within: window, figures: &register, clock: &clock)
            let watchedAfter = try Self.watchedCount(betaStore)
            let coveredAfter = try await Self.coveredByAlpha(beta, in: alliance)
            #expect(watchedAfter == watchedBefore || watchedAfter == watchedBefore + count,
                    "pairwise watch add \(round) killed: \(watchedAfter - watchedBefore) of \(count) accounts registered")
            #expect(coveredAfter >= coveredBefore && coveredAfter <= watchedAfter,
                    "pairwise watch add \(round) killed: alpha covers \(coveredAfter) of \(watchedAfter) (\(coveredBefore) before)")
            // Unfinished work: the registration or its coverage by alpha did not commit whole.
            if ended.killedBySignal && coveredAfter < watchedBefore + count { register.midOperation += 1 }
            if ended.killedBySignal && watchedAfter == watchedBefore + count && coveredAfter < watchedAfter { duringCoverage += 1 }
            let partial = try Self.watchKeys(betaStore), complete = try Self.watchKeys(gammaStore)
            #expect(Set(partial).isSubset(of: Set(complete)) && Set(partial).count == partial.count,
                    "after the killed pairwise watch add \(round): beta's watch records are not a part of gamma's")
            // Restart: the same registration again (a no-op for what committed), whose coverage step continues.
            try await alliance.must(["watch", "add", "--home", beta.home.path, file.path])
            #expect(try Self.watchKeys(betaStore) == Self.watchKeys(gammaStore),
                    "after pairwise watch add \(round): beta's watch records differ from gamma's")
            #expect(try await Self.coveredByAlpha(beta, in: alliance) == Self.coveredByAlpha(gamma, in: alliance))
            #expect(try Self.outboxProblems(betaStore, answered: []).isEmpty)
            register.checks += 6

            // alpha lists the other half; beta's sync is killed while it applies them and their matches.
            var listing = FaultFixtures.header + "\n"
            for index in stride(from: 1, to: count, by: 2) {
                listing += "PL\(round)-\(index),black,brushing,2,phone,\(Self.pairwisePhone(round: round, index: index)),2026-01-01,2099-01-01\n"
            }
            try await alliance.must(["import", "--home", alpha.home.path, try alliance.write(listing, to: "pairwise-listing-\(round).csv").path])
            syncSeconds += try await killWatchSync(alliance, alpha: alpha, beta: beta, gamma: gamma, transaction: 200,
                                                   label: "pairwise sync \(round)", figures: &syncing, clock: &clock)
        }
        register.notes.append("\(duringCoverage) after the registration committed, during its coverage")
        register.notes.append("\(try Self.watchedCount(betaStore)) accounts watched, \(try await Self.coveredByAlpha(beta, in: alliance)) covered by alpha")
        syncing.notes.append("\(try Self.watchKeys(betaStore).count) watch records")
        syncing.seconds = syncSeconds
        register.seconds = (ContinuousClock.now - started) / .seconds(1) - syncSeconds
        KillReport.write(
            ["SIGKILL campaign, pairwise watch (seed \(settings.seed &+ 1), \(settings.killsPerPhase) kills per phase, \(count) accounts per file):"]
                + [register, syncing].map { "  \($0)" },
            settings: settings)
    }

    /// Phone of account `index` of round `round` (round 0: listed by alpha before any watch).
    static func pairwisePhone(round: Int, index: Int) -> Int { 13_700_000_000 + round * 100_000 + index }

    /// How many of the node's watched accounts alpha has covered (`watch status --json`).
    static func coveredByAlpha(_ node: TestNode, in alliance: TestAlliance) async throws -> Int {
        let run = try await alliance.must(["watch", "status", "--home", node.home.path, "--json"])
        let status = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any] ?? [:]
        let peers = status["peers"] as? [[String: Any]] ?? []
        guard let line = peers.first(where: { $0["member"] as? String == "alpha" }), let covered = line["covered"] as? Int else {
            throw HarnessError("watch status of \(node.member) has no line for alpha: \(run.stdout)")
        }
        return covered
    }
}
