import AllianceTestSupport
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Crash safety under SIGKILL at random moments, with real processes (`scripts/faults.sh` runs it; plain
/// `swift test` skips it). Three phases on one alliance:
/// 1. import: `import` of a fresh file is killed; the store holds none or all of the file, never part, and
///    the killed node ends with exactly the entries a clean node importing the same files has.
/// 2. sync: beta's `sync` or alpha's `serve` is killed while beta pulls (alpha keeps adding, replacing and
///    revoking entries between rounds); beta's copy is always a consistent prefix of alpha's feed at its
///    cursor, and after a clean round it equals alpha's own entries and a clean node's copy.
/// 3. outbox delivery: beta's `serve` is killed while a consumer screens accounts and reads/acks the outbox;
///    outbox sequence numbers stay contiguous, no match is lost or duplicated, acks never go back, and the
///    final matches equal a clean node's.
/// 4. watch (KillCampaignTests+Watch.swift): beta's `watch add` is killed (none or all of the file is
///    registered), then beta's `sync` while it applies listings that name watched accounts; after each
///    restart beta's watch-born outbox records equal those of gamma, which did the same without kills.
/// 5. pairwise watch (KillCampaignTests+PairwiseWatch.swift, its own alliance and test): the same under the
///    pairwise scheme, where `watch add` also has alpha mask the new accounts over mTLS (coverage).
@Suite("Faults: SIGKILL campaign", .serialized)
struct KillCampaignTests {
    @Test("SIGKILL during import, sync and outbox delivery", .enabled(if: KillCampaignSettings.current != nil))
    func campaign() async throws {
        let settings = try #require(KillCampaignSettings.current)
        let alliance = try TestAlliance("kills")
        defer { alliance.shutdown() }
        var clock = KillClock(seed: settings.seed)
        try await alliance.createCA()
        let alpha = try await alliance.createNode("alpha")
        let beta = try await alliance.createNode("beta")
        let clean = try await alliance.createNode("clean")
        let gamma = try await alliance.createNode("gamma")
        for node in [beta, gamma] {
            try await alliance.addPeer("alpha", url: alpha.peerURL, to: node)
            try await alliance.addPeer(node.member, url: node.peerURL, to: alpha)
        }
        let started = ContinuousClock.now
        let files = try await importPhase(alliance, alpha: alpha, clean: clean, settings: settings, clock: &clock)
        let syncFigures = try await syncPhase(alliance, alpha: alpha, beta: beta, gamma: gamma, files: files, settings: settings, clock: &clock)
        let outboxFigures = try await outboxPhase(alliance, alpha: alpha, beta: beta, gamma: gamma, settings: settings, clock: &clock)
        let watchFigures = try await watchPhase(alliance, alpha: alpha, beta: beta, gamma: gamma, settings: settings, clock: &clock)
        let total = (ContinuousClock.now - started) / .seconds(1)
        let figures: [KillPhaseFigures] = [files.figures, syncFigures, outboxFigures] + watchFigures
        KillReport.write(
            ["SIGKILL campaign (seed \(settings.seed), \(settings.killsPerPhase) kills per phase, \(settings.entriesPerFile) entries per file):"]
                + figures.map { "  \($0)" }
                + ["  total: \(figures.reduce(0) { $0 + $1.kills }) SIGKILLs, \(figures.reduce(0) { $0 + $1.landed }) on a running process, "
                   + "\(figures.reduce(0) { $0 + $1.midOperation }) interrupting unfinished work, "
                   + "\(figures.reduce(0) { $0 + $1.checks }) consistency checks, \(String(format: "%.0f", total)) s"],
            settings: settings)
    }

    // MARK: - Phase 1: import

    struct ImportedFiles {
        var paths: [Int: URL] = [:]
        var figures = KillPhaseFigures(phase: "import")
        /// Phone of entry `I<file>-<index>`.
        static func phone(file: Int, index: Int) -> Int { 13_100_000_000 + file * 1_000_000 + index }
    }

    func importPhase(
        _ alliance: TestAlliance, alpha: TestNode, clean: TestNode, settings: KillCampaignSettings, clock: inout KillClock
    ) async throws -> ImportedFiles {
        var result = ImportedFiles()
        let phaseStart = ContinuousClock.now
        let fileCount = max(2, settings.killsPerPhase)
        for file in 1...fileCount {
            var text = FaultFixtures.header + "\n"
            for index in 0..<settings.entriesPerFile {
                text += "I\(file)-\(index),black,brushing,\(1 + index % 3),phone,\(ImportedFiles.phone(file: file, index: index)),2026-01-01,2099-01-01\n"
            }
            result.paths[file] = try alliance.write(text, to: "import-\(file).csv")
        }
        let store = FaultStore(alpha)
        for file in 1...fileCount {
            // The clean reference imports the file first (once, never killed); its time is the kill window.
            let timer = ContinuousClock.now
            try await alliance.must(["import", "--home", clean.home.path, result.paths[file]!.path])
            let window = (ContinuousClock.now - timer) * 1.2
            let before = try store.entryLines(origin: "alpha").count
            let process = try alliance.start(["import", "--home", alpha.home.path, result.paths[file]!.path], label: "import \(file) (to kill)")
            try await Task.sleep(for: clock.moment(upTo: window))
            let wasRunning = process.isRunning
            process.send(SIGKILL)
            let ended = await process.finish()
            result.figures.kills += 1
            if wasRunning && ended.killedBySignal { result.figures.landed += 1 }
            let after = try store.entryLines(origin: "alpha").count
            // None or all of the file, never part of it.
            #expect(after == before || after == before + settings.entriesPerFile,
                    "import \(file) killed: \(after - before) of \(settings.entriesPerFile) entries stored")
            let head = try store.ownHead()
            #expect(head == Int64(after), "sequence head \(head) vs \(after) entries")
            #expect(try store.inconsistencies(origin: "alpha") == [])
            result.figures.checks += 3
            if after == before {
                if ended.killedBySignal { result.figures.midOperation += 1 }
                // Restart: the same import again, to completion.
                try await alliance.must(["import", "--home", alpha.home.path, result.paths[file]!.path])
                #expect(try store.entryLines(origin: "alpha").count == before + settings.entriesPerFile)
                result.figures.checks += 1
            } else if ended.killedBySignal {
                result.figures.notes.append("import \(file) was killed after its commit")
            }
        }
        // The killed node now holds exactly what the clean one does (same files, same alliance token key).
        #expect(try store.contentLines(origin: "alpha") == (try FaultStore(clean).contentLines(origin: "clean")),
                "alpha's entries differ from a clean import of the same files")
        let audit = try await alliance.run(["audit", "verify", "--home", alpha.home.path])
        #expect(audit.succeeded, "audit log after import kills: \(audit)")
        result.figures.checks += 2
        result.figures.seconds = (ContinuousClock.now - phaseStart) / .seconds(1)
        return result
    }

    // MARK: - Phase 2: sync

    /// `entry_id → (seq, line)` of an origin's rows in a store.
    static func rowsByEntry(_ store: FaultStore, origin: String) throws -> [String: (seq: Int64, line: String)] {
        var rows: [String: (seq: Int64, line: String)] = [:]
        for line in try store.entryLines(origin: origin) {
            let fields = line.split(separator: " ")
            rows[String(fields[1])] = (Int64(fields[2]) ?? -1, line)
        }
        return rows
    }

    /// Beta's copy of alpha at cursor C must be alpha's feed cut at C: every alpha entry whose current event is at
    /// or below C is held identically; anything else beta holds is an older version of an entry alpha changed
    /// after C; nothing is above C. Returns the problems (empty when consistent).
    static func prefixProblems(beta: FaultStore, alpha: FaultStore) throws -> [String] {
        let cursor = try beta.cursor("alpha")
        let mine = try rowsByEntry(beta, origin: "alpha"), theirs = try rowsByEntry(alpha, origin: "alpha")
        var problems: [String] = []
        for (entry, row) in theirs where row.seq <= cursor && mine[entry]?.line != row.line {
            problems.append("\(entry)#\(row.seq) at or below cursor \(cursor) is \(mine[entry]?.line ?? "missing")")
        }
        for (entry, row) in mine {
            if row.seq > cursor { problems.append("\(entry)#\(row.seq) is above cursor \(cursor)") }
            if let current = theirs[entry], current.seq <= cursor, current.line != row.line {
                problems.append("\(entry) is stale below the cursor")
            } else if theirs[entry] == nil {
                problems.append("\(entry) is not an entry of alpha")
            }
        }
        return problems + (try beta.inconsistencies(origin: "alpha"))
    }

    func syncPhase(
        _ alliance: TestAlliance, alpha: TestNode, beta: TestNode, gamma: TestNode, files: ImportedFiles,
        settings: KillCampaignSettings, clock: inout KillClock
    ) async throws -> KillPhaseFigures {
        var figures = KillPhaseFigures(phase: "sync")
        let phaseStart = ContinuousClock.now
        var alphaServer = try await alliance.serve(alpha)
        let betaStore = FaultStore(beta), alphaStore = FaultStore(alpha)
        var extra = 0
        for round in 1...settings.killsPerPhase {
            // Give beta something to pull: on odd rounds new entries, on even rounds a whole file replaced plus revocations.
            if round % 2 == 1 || round == 1 {
                extra += 1
                let text = FaultFixtures.phoneEntries(count: settings.entriesPerFile, prefix: "S\(extra)-", base: 13_500_000_000 + extra * 1_000_000)
                try await alliance.must(["import", "--home", alpha.home.path, try alliance.write(text, to: "sync-\(extra).csv").path])
            } else {
                let file = 1 + (round / 2) % max(1, files.paths.count)
                try await alliance.must(["import", "--home", alpha.home.path, files.paths[file]!.path])
                for index in 0..<3 {
                    try await alliance.must(["revoke", "--home", alpha.home.path, "--entry", "I\(file)-\(index * 7 + round)", "--reason", "erroneous"])
                }
            }
            // The clean node syncs the same changes first; its time is this round's kill window.
            let timer = ContinuousClock.now
            let reference = SyncOutcome(run: try await alliance.run(["sync", "--home", gamma.home.path]))
            #expect(reference.run.succeeded, "\(reference)")
            let window = max((ContinuousClock.now - timer) * 1.2, .milliseconds(300))
            let cursorBefore = try betaStore.cursor("alpha")
            // Small pages and transactions (2 000 events), so that kills also land between two committed ones.
            let sync = try alliance.start(["sync", "--home", beta.home.path, "--page-size", "2000", "--events-per-transaction", "2000"],
                                          label: "sync beta \(round) (to kill)")
            try await Task.sleep(for: clock.moment(upTo: window))
            let killServer = round % 2 == 0
            let victim = killServer ? alphaServer : sync
            let wasRunning = sync.isRunning
            victim.send(SIGKILL)
            let ended = await sync.finish()
            if killServer { _ = await alphaServer.finish() }
            figures.kills += 1
            if wasRunning && (killServer || ended.killedBySignal) { figures.landed += 1 }
            #expect(ended.killedBySignal || ended.exitedNormally, "sync crashed: \(ended)")
            if killServer && ended.exitedNormally && !ended.succeeded {
                #expect(ended.stdout.contains("alpha\tFAILED\t"), "a sync whose server died must report it: \(ended)")
            }
            let cursorAfter = try betaStore.cursor("alpha")
            let head = try alphaStore.ownHead()
            if cursorAfter < head && (ended.killedBySignal || (killServer && !ended.succeeded)) { figures.midOperation += 1 }
            if cursorAfter > cursorBefore && cursorAfter < head { figures.betweenPages += 1 }
            let problems = try Self.prefixProblems(beta: betaStore, alpha: alphaStore)
            #expect(problems.isEmpty, "after kill \(round) (\(killServer ? "serve alpha" : "sync beta")): \(problems.prefix(5))")
            figures.checks += 1
            if killServer { alphaServer = try await alliance.serve(alpha) }
        }
        // Restart and finish: beta and the clean gamma end equal to alpha's own entries.
        let resumed = SyncOutcome(run: try await alliance.run(["sync", "--home", beta.home.path]))
        let reference = SyncOutcome(run: try await alliance.run(["sync", "--home", gamma.home.path]))
        #expect(resumed.run.succeeded && resumed.line("alpha")?.contains("repaired") == false, "\(resumed)")
        #expect(reference.run.succeeded, "\(reference)")
        let truth = try alphaStore.entryLines(origin: "alpha")
        #expect(try betaStore.entryLines(origin: "alpha") == truth, "beta's copy differs from alpha's entries")
        #expect(try FaultStore(gamma).entryLines(origin: "alpha") == truth, "the clean copy differs from alpha's entries")
        #expect(try betaStore.cursor("alpha") == (try FaultStore(gamma).cursor("alpha")))
        #expect(try betaStore.inconsistencies(origin: "alpha") == [])
        figures.checks += 5
        figures.notes.append("\(truth.count) entries of alpha at the end")
        _ = alphaServer
        figures.seconds = (ContinuousClock.now - phaseStart) / .seconds(1)
        return figures
    }

    // MARK: - Phase 3: outbox delivery

    func outboxPhase(
        _ alliance: TestAlliance, alpha: TestNode, beta: TestNode, gamma: TestNode, settings: KillCampaignSettings,
        clock: inout KillClock
    ) async throws -> KillPhaseFigures {
        var figures = KillPhaseFigures(phase: "outbox")
        let phaseStart = ContinuousClock.now
        // Accounts: phones of file 2's entries (some replaced, a few revoked in phase 2), 100 per request.
        let accounts = (0..<min(2_000, settings.entriesPerFile)).map { (ref: "acc-\($0)", phone: String(ImportedFiles.phone(file: 2, index: $0))) }
        let requests = stride(from: 0, to: accounts.count, by: 100).map { Array(accounts[$0..<min($0 + 100, accounts.count)]) }
        let consumer = OutboxConsumer(alliance: alliance, node: beta, requests: requests)
        var server = try await alliance.serve(beta)
        let store = FaultStore(beta)
        var lastAck: Int64 = 0
        consumer.keepBusy(true)
        for round in 1...settings.killsPerPhase {
            consumer.reset()
            let run = Task { await consumer.run() }
            try await Task.sleep(for: clock.moment(upTo: .milliseconds(1500)) + .milliseconds(100))
            let wasRunning = server.isRunning
            server.send(SIGKILL)
            _ = await server.finish()
            consumer.stop()
            let interrupted = await run.value
            figures.kills += 1
            if wasRunning { figures.landed += 1 }
            if interrupted { figures.midOperation += 1 }
            let problems = try Self.outboxProblems(store, answered: consumer.answered)
            #expect(problems.isEmpty, "after kill \(round): \(problems.prefix(5))")
            let ack = try store.outboxCursor("campaign")
            #expect(ack >= lastAck, "the acknowledged outbox position went back from \(lastAck) to \(ack)")
            lastAck = ack
            figures.checks += 2
            server = try await alliance.serve(beta)
        }
        // Finish cleanly: every request answered, everything read and acknowledged.
        consumer.keepBusy(false)
        consumer.reset()
        let finished = await consumer.run()
        #expect(!finished && consumer.pending == 0, "the consumer could not finish against a healthy node")
        let outbox = try store.outbox()
        #expect(try Self.outboxProblems(store, answered: consumer.answered).isEmpty)
        #expect(consumer.delivered == Set(outbox.map(\.seq)), "the consumer did not receive every outbox record")
        #expect(consumer.changedBodies == 0, "an outbox record changed between two reads")
        #expect(try store.outboxCursor("campaign") == outbox.last?.seq ?? 0)
        server.killNow()

        // A clean node that never crashed, screening the same accounts, records the same matches.
        let reference = try await alliance.serve(gamma)
        let cleanConsumer = OutboxConsumer(alliance: alliance, node: gamma, requests: requests)
        let cleanInterrupted = await cleanConsumer.run()
        #expect(!cleanInterrupted && cleanConsumer.pending == 0)
        reference.killNow()
        let expected = try FaultStore(gamma).matchLines()
        #expect(!expected.isEmpty)
        #expect(try store.matchLines() == expected, "matches after the kills differ from a clean run")
        #expect(try Self.matchKeys(store.outbox()) == Self.matchKeys(try FaultStore(gamma).outbox()),
                "outbox match records differ from a clean run")
        figures.checks += 6
        figures.notes.append("\(outbox.count) outbox records, \(expected.count) matches")
        figures.seconds = (ContinuousClock.now - phaseStart) / .seconds(1)
        return figures
    }

    /// `ref origin entry_id` of every match record in an outbox, sorted (duplicates kept, so they show).
    static func matchKeys(_ outbox: [(seq: Int64, type: String, body: String)]) -> [String] {
        outbox.filter { $0.type == "match" }.compactMap { record -> String? in
            guard let object = try? JSONSerialization.jsonObject(with: Data(record.body.utf8)) as? [String: Any] else { return nil }
            return "\(object["ref"] as? String ?? "?") \(object["origin"] as? String ?? "?") \(object["entry_id"] as? String ?? "?")"
        }.sorted()
    }

    /// Outbox invariants: contiguous sequence numbers, one record per match and one match per record,
    /// and every match of a request the node answered 200 is recorded.
    static func outboxProblems(_ store: FaultStore, answered: Set<String>) throws -> [String] {
        var problems: [String] = []
        let outbox = try store.outbox()
        for (index, record) in outbox.enumerated() where record.seq != Int64(index + 1) {
            problems.append("outbox seq \(record.seq) at position \(index + 1)")
            break
        }
        let keys = matchKeys(outbox)
        if Set(keys).count != keys.count { problems.append("duplicate outbox match records") }
        let matches = try store.matchLines().map { line -> String in
            let fields = line.split(separator: " ")
            return "\(fields[0]) \(fields[2]) \(fields[3])"
        }.sorted()
        if matches != keys { problems.append("matches table (\(matches.count)) and outbox (\(keys.count)) disagree") }
        // Every match the node reported in a 200 answer is recorded (the answer is sent after the commit).
        let recordedRefs = Set(matches.map { String($0.split(separator: " ")[0]) })
        let lost = answered.subtracting(recordedRefs)
        if !lost.isEmpty { problems.append("\(lost.count) answered matches are not recorded, e.g. \(lost.sorted().prefix(3))") }
        return problems
    }
}
