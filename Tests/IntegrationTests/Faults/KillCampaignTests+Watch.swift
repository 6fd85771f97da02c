import AllianceTestSupport
import Foundation
import GRDB
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Phase 4 of the SIGKILL campaign: the watch. Beta and gamma watch the same accounts (gamma is never
/// killed); beta's `watch add` is killed at a random moment, then its `sync` while it applies alpha's
/// listings of watched accounts. After every restart beta's watch-born records equal gamma's: none lost,
/// none repeated, and the matches table agrees with the outbox.
extension KillCampaignTests {
    /// Phone of watched account `i` of file `k` that alpha lists during the phase (`listed`) or never lists.
    static func watchedPhone(file: Int, index: Int) -> Int { 13_800_000_000 + file * 100_000 + index }

    func watchPhase(
        _ alliance: TestAlliance, alpha: TestNode, beta: TestNode, gamma: TestNode, settings: KillCampaignSettings,
        clock: inout KillClock
    ) async throws -> [KillPhaseFigures] {
        var register = KillPhaseFigures(phase: "watch add")
        var syncing = KillPhaseFigures(phase: "sync with watch matches")
        let phaseStart = ContinuousClock.now
        let betaStore = FaultStore(beta), gammaStore = FaultStore(gamma)
        let server = try await alliance.serve(alpha)
        defer { server.killNow() }
        let count = max(100, settings.entriesPerFile)
        var syncSeconds = 0.0
        for round in 1...settings.killsPerPhase {
            // Half of the accounts are already listed by alpha (file 1 of phase 1), half alpha lists below.
            var text = "ref,kind,identifier\n"
            for index in 0..<count {
                let phone = index % 2 == 0 ? ImportedFiles.phone(file: 1, index: index) : Self.watchedPhone(file: round, index: index)
                text += "w\(round)-\(index),phone,\(phone)\n"
            }
            let file = try alliance.write(text, to: "watch-\(round).csv")
            let timer = ContinuousClock.now
            try await alliance.must(["watch", "add", "--home", gamma.home.path, file.path])
            let window = (ContinuousClock.now - timer) * 1.2
            let watchedBefore = try Self.watchedCount(betaStore)
            let ended = try await killAtRandom(alliance, ["watch", "add", "--home", beta.home.path, file.path],
                                               label: "watch add \(round)", within: window, figures: &register, clock: &clock)
            let watchedAfter = try Self.watchedCount(betaStore)
            #expect(watchedAfter == watchedBefore || watchedAfter == watchedBefore + count,
                    "watch add \(round) killed: \(watchedAfter - watchedBefore) of \(count) accounts registered")
            if watchedAfter == watchedBefore && ended.killedBySignal { register.midOperation += 1 }
            #expect(try beta.watchFilterInStep(), "watch add \(round) killed: the stored index filter lost keys of the index")
            // Restart: the same registration again, to completion (a no-op if the killed one had committed).
            try await alliance.must(["watch", "add", "--home", beta.home.path, file.path])
            #expect(try Self.watchKeys(betaStore) == Self.watchKeys(gammaStore), "after watch add \(round): beta's watch records differ from gamma's")
            #expect(try Self.outboxProblems(betaStore, answered: []).isEmpty)
            register.checks += 4

            // alpha lists the other half; beta's sync is killed while it applies them and their matches.
            var listing = FaultFixtures.header + "\n"
            for index in stride(from: 1, to: count, by: 2) {
                listing += "L\(round)-\(index),black,brushing,2,phone,\(Self.watchedPhone(file: round, index: index)),2026-01-01,2099-01-01\n"
            }
            try await alliance.must(["import", "--home", alpha.home.path, try alliance.write(listing, to: "listing-\(round).csv").path])
            syncSeconds += try await killWatchSync(alliance, alpha: alpha, beta: beta, gamma: gamma, transaction: 500,
                                                   label: "sync \(round)", figures: &syncing, clock: &clock)
        }
        let records = try Self.watchKeys(betaStore).count
        register.notes.append("\(try Self.watchedCount(betaStore)) accounts watched")
        syncing.notes.append("\(records) watch records")
        syncing.seconds = syncSeconds
        register.seconds = (ContinuousClock.now - phaseStart) / .seconds(1) - syncSeconds
        return [register, syncing]
    }

    /// Beta's `sync` is SIGKILLed at a random moment while it applies alpha's listings of watched accounts
    /// (gamma, never killed, syncs them first and gives the time window): the records it left are a part
    /// of gamma's with no duplicate, and after a clean sync they equal gamma's. Returns the seconds spent.
    func killWatchSync(
        _ alliance: TestAlliance, alpha: TestNode, beta: TestNode, gamma: TestNode, transaction: Int, label: String,
        figures: inout KillPhaseFigures, clock: inout KillClock
    ) async throws -> Double {
        let started = ContinuousClock.now
        let betaStore = FaultStore(beta), gammaStore = FaultStore(gamma)
        try await alliance.must(["sync", "--home", gamma.home.path])
        let window = max((ContinuousClock.now - started) * 1.2, .milliseconds(300))
        let ended = try await killAtRandom(alliance, ["sync", "--home", beta.home.path, "--page-size", "\(transaction)",
                                                      "--events-per-transaction", "\(transaction)"],
                                           label: "\(label) of beta", within: window, figures: &figures, clock: &clock)
        if ended.killedBySignal, try betaStore.cursor("alpha") < (try FaultStore(alpha).ownHead()) { figures.midOperation += 1 }
        // Whatever the kill left, the records so far are a consistent part of gamma's.
        let partial = try Self.watchKeys(betaStore), complete = try Self.watchKeys(gammaStore)
        #expect(Set(partial).isSubset(of: Set(complete)) && Set(partial).count == partial.count,
                "after the killed \(label): beta's watch records are not a part of gamma's")
        #expect(try Self.outboxProblems(betaStore, answered: []).isEmpty)
        try await alliance.must(["sync", "--home", beta.home.path])
        #expect(try Self.watchKeys(betaStore) == complete, "after \(label): beta's watch records differ from gamma's")
        #expect(try Self.outboxProblems(betaStore, answered: []).isEmpty)
        figures.checks += 4
        return (ContinuousClock.now - started) / .seconds(1)
    }

    /// Starts the command and SIGKILLs it at a random moment within `window`; counts the kill, and whether
    /// it hit the process while it ran. Returns how the process ended.
    func killAtRandom(
        _ alliance: TestAlliance, _ arguments: [String], label: String, within window: Duration,
        figures: inout KillPhaseFigures, clock: inout KillClock
    ) async throws -> ProcessResult {
        let process = try alliance.start(arguments, label: "\(label) (to kill)")
        try await Task.sleep(for: clock.moment(upTo: window))
        let running = process.isRunning
        process.send(SIGKILL)
        let ended = await process.finish()
        figures.kills += 1
        if running && ended.killedBySignal { figures.landed += 1 }
        return ended
    }

    static func watchedCount(_ store: FaultStore) throws -> Int {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: store.path, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM watch_refs") ?? 0 }
    }

    /// `type ref origin entry_id` of every watch-born outbox record, sorted (duplicates kept, so they show).
    static func watchKeys(_ store: FaultStore) throws -> [String] {
        try store.outbox().compactMap { record -> String? in
            guard let object = try? JSONSerialization.jsonObject(with: Data(record.body.utf8)) as? [String: Any],
                  object["source"] as? String == "watch" else { return nil }
            return "\(record.type) \(object["ref"] as? String ?? "?") \(object["origin"] as? String ?? "?") \(object["entry_id"] as? String ?? "?")"
        }.sorted()
    }
}
