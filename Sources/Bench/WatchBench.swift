import ExchangeCrypto
import ExchangeDemo
import ExchangeNode
import ExchangeProtocol
import ExchangeRuntime
import Foundation
import GRDB

/// The watch's figures (issue 13), side by side in one run:
/// 1. register `accounts` watched accounts (keyed hash) at a node: rate, index bytes per account on
///    disk, process memory;
/// 2. sync `entries` entries into that node (1 % of them name a watched account) and into a node
///    that watches nothing: the ratio of their rates;
/// 3. latency from an import at the origin to the match record in the watcher's outbox, both nodes
///    running the sync loop at a 1 s interval, over `listings` listings at random moments;
/// 4. the day-two figure (pairwise): A watches `dayTwo` accounts and B publishes `dayTwo` entries;
///    then B adds 1 % more and revokes 1 %: what A's next sync round costs (X25519 operations,
///    seconds) against re-running OpenMined PSI on the whole sets.
package struct WatchBench {
    let root: URL
    var accounts = 10_000_000
    var entries = 1_000_000
    var listings = 200
    var dayTwo = 100_000
    var runAnchor = true

    package init(root: URL, accounts: Int, entries: Int, listings: Int, dayTwo: Int, runAnchor: Bool) {
        self.root = root
        self.accounts = accounts
        self.entries = entries
        self.listings = listings
        self.dayTwo = dayTwo
        self.runAnchor = runAnchor
    }

    package func run(into table: BenchTable) async throws {
        if accounts > 0 { try await registerAndSync(into: table) }
        if listings > 0 { try await latency(into: table) }
        if dayTwo > 0 { try await dayTwoFigure(into: table) }
    }

    // MARK: - 1 and 2: registration, and sync watching vs not

    private func registerAndSync(into table: BenchTable) async throws {
        let alliance = try LoopbackAlliance.create(root: root.appendingPathComponent("register"), members: ["origin", "watcher", "plain"],
                                                   alliance: "bench-watch")
        // The watcher and the plain node sync from the origin only.
        for (member, other) in [("watcher", "plain"), ("plain", "watcher")] {
            try FileManager.default.removeItem(at: alliance.contexts[member]!.home.peerFile(other))
        }
        let origin = alliance.contexts["origin"]!
        let watcher = try NodeContext(home: alliance.contexts["watcher"]!.home), plain = try NodeContext(home: alliance.contexts["plain"]!.home)
        let accountsFile = alliance.root.appendingPathComponent("watched.csv").path
        let expected = try Self.writeAccounts(accounts, matchingEvery: 100, of: entries, to: accountsFile)

        let residentBefore = LoadBench.residentKiB()
        let start = Date()
        let registered = try WatchService(context: watcher, client: nil).registrar.register(file: accountsFile)
        let seconds = Date().timeIntervalSince(start)
        let residentAfter = LoadBench.residentKiB()
        guard registered.created == accounts else { throw NodeError.store("watch bench: \(registered.created) of \(accounts) registered") }
        table.row("watch: register \(accounts) accounts (keyed hash)", BenchTable.rate(accounts, seconds, "accounts"), goal: "≥ 250 k accounts/s")
        let bytes = try watcher.store.read { db in
            (index: try Int.fetchOne(db, sql: "SELECT SUM(pgsize) FROM dbstat WHERE name = 'watch_index'") ?? 0,
             all: try Int.fetchOne(db, sql: """
                SELECT SUM(pgsize) FROM dbstat
                WHERE name IN ('watch_index', 'watch_refs', 'watched', 'sqlite_autoindex_watched_1', 'watch_seals', 'watch_filter')
                """) ?? 0)
        }
        table.row("watch: index on disk per account", String(format: "%.1f B", Double(bytes.index) / Double(accounts)), goal: "≤ 24 B/account")
        table.row("watch: all watch tables per account", String(format: "%.1f B (refs, sealed boxes, index, filter)", Double(bytes.all) / Double(accounts)))
        table.row("watch: resident memory, before / after registering", "\(residentBefore / 1024) / \(residentAfter / 1024) MiB")

        let entriesFile = alliance.root.appendingPathComponent("entries.csv").path
        try Self.writeEntries(entries, prefix: "E", phone: BenchData.phone, to: entriesFile)
        _ = try EntryImporter(context: origin).run(path: entriesFile)
        try await withThrowingTaskGroup(of: Void.self) { group in
            let app = try NodeServer.peerApplication(try NodeRuntime(context: origin), logLevel: .critical)
            group.addTask { try await app.run() }
            try await FreePort.waitUntilListening([alliance.ports["origin"]!])
            // Four passes in alternating orders (the watcher first, on the origin's cold cache, then the plain
            // node first, and so on), each receiver's copy dropped and both stores checkpointed before a pass:
            // the host's drift from one minute to the next falls on both sides alike, and one slow pass (the
            // shared host's speed moves by 20 % within a minute) weighs a quarter, not a half.
            var watching = 0.0, nothing = 0.0
            var timings: [String] = []
            for pass in 0..<Self.syncPasses {
                for context in [watcher, plain] {
                    if pass > 0 { try SyncRound.resetOrigin("origin", in: context.store) }
                    try await context.store.pool.writeWithoutTransaction { db in _ = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
                }
                for context in pass % 2 == 0 ? [watcher, plain] : [plain, watcher] {
                    let timed = try await Self.timedSync(context)
                    guard timed.applied == entries else { throw NodeError.store("watch bench: \(timed.applied) of \(entries) applied") }
                    if context === watcher { watching += timed.seconds } else { nothing += timed.seconds }
                    timings.append(String(format: "%@ %.2f s", context === watcher ? "watching" : "nothing", timed.seconds))
                }
                let matches = try watcher.store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM matches") ?? 0 }
                guard matches == expected else { throw NodeError.store("watch bench: \(matches) matches for \(expected)") }
            }
            let passes = Self.syncPasses
            table.row("sync \(entries) entries, watching nothing (\(passes) passes)", BenchTable.rate(passes * entries, nothing, "entries"))
            table.row("sync \(entries) entries, watching \(accounts) (\(expected) matches, \(passes) passes)",
                      BenchTable.rate(passes * entries, watching, "entries"))
            table.row("ratio watching / nothing", String(format: "%.2f", nothing / watching), goal: "≥ 0.90")
            table.row("sync passes, in the order run", timings.joined(separator: ", "))
            group.cancelAll()
        }
    }

    /// Passes of the sync ratio, each timing both nodes.
    static let syncPasses = 4

    static func timedSync(_ context: NodeContext) async throws -> (seconds: Double, applied: Int) {
        let runtime = try NodeRuntime(context: context)
        let client = runtime.makePeerClient()
        let start = Date()
        let results = await runtime.makeSyncRound(client: client).run()
        let seconds = Date().timeIntervalSince(start)
        await client.shutdown()
        if let error = results.first(where: { $0.error != nil })?.error { throw NodeError.peer(member: "origin", reason: error) }
        return (seconds, results.reduce(0) { $0 + $1.applied })
    }

    // MARK: - 3: latency from an import at the origin to the watcher's outbox

    private func latency(into table: BenchTable) async throws {
        let alliance = try LoopbackAlliance.create(root: root.appendingPathComponent("latency"), members: ["lister", "watcher"],
                                                   alliance: "bench-latency")
        for member in ["lister", "watcher"] {
            var config = alliance.contexts[member]!.config
            config.syncIntervalSeconds = 1
            try config.save(to: alliance.contexts[member]!.home)
        }
        let lister = try NodeContext(home: alliance.contexts["lister"]!.home)
        let watcher = try NodeContext(home: alliance.contexts["watcher"]!.home)
        let file = alliance.root.appendingPathComponent("watched.csv").path
        try ("ref,kind,identifier\n" + (0..<listings).map { "l\($0),phone,\(BenchData.otherPhone($0))" }.joined(separator: "\n") + "\n")
            .write(toFile: file, atomically: true, encoding: .utf8)
        _ = try WatchService(context: watcher, client: nil).registrar.register(file: file)
        let samples = try await withThrowingTaskGroup(of: Void.self) { group -> [Double] in
            for context in [lister, watcher] {
                let runtime = try NodeRuntime(context: context)
                let app = try NodeServer.peerApplication(runtime, logLevel: .critical)
                group.addTask { try await app.run() }
                let loop = SyncLoop(node: runtime, screening: nil)
                group.addTask { try await loop.run() }
            }
            try await FreePort.waitUntilListening([alliance.ports["lister"]!, alliance.ports["watcher"]!])
            var listedAt: [String: UInt64] = [:]
            var seenAt: [String: UInt64] = [:]
            var seen: Int64 = 0
            let today = NodeClock.today()
            var next = DispatchTime.now().uptimeNanoseconds
            var listed = 0
            while seenAt.count < listings {
                let now = DispatchTime.now().uptimeNanoseconds
                if listed < listings, now >= next {
                    let file = alliance.root.appendingPathComponent("listing-\(listed).csv").path
                    try ("entry_id,list,category,severity,kind,identifier,listed_on,expires_on\n"
                         + "L\(listed),black,brushing,2,phone,\(BenchData.otherPhone(listed)),\(today.adding(days: -1)),\n")
                        .write(toFile: file, atomically: false, encoding: .utf8)
                    _ = try EntryImporter(context: lister).run(path: file)
                    listedAt["l\(listed)"] = DispatchTime.now().uptimeNanoseconds
                    listed += 1
                    next = now + UInt64.random(in: 50_000_000...150_000_000)
                }
                for record in try watcher.store.read({ db in try Outbox.read(after: seen, limit: 1000, db) }) {
                    seen = record.seq
                    if let ref = WatchRecordRef.ref(in: record.json), seenAt[ref] == nil { seenAt[ref] = DispatchTime.now().uptimeNanoseconds }
                }
                if listed == listings, let first = listedAt["l\(listings - 1)"], DispatchTime.now().uptimeNanoseconds - first > 30_000_000_000 {
                    throw NodeError.store("watch bench: \(seenAt.count) of \(listings) listings reached the watcher")
                }
                try await Task.sleep(for: .milliseconds(2))
            }
            group.cancelAll()
            return listedAt.compactMap { ref, at in seenAt[ref].map { Double($0 - at) / 1e6 } }.sorted()
        }
        let p50 = samples[samples.count / 2], p99 = samples[min(samples.count - 1, Int(Double(samples.count) * 0.99))]
        table.row("watch: import → watcher outbox, p50 / p99 (\(samples.count))", String(format: "%.0f / %.0f ms", p50, p99),
                  goal: "p99 ≤ 1250 ms (1 s interval)")
    }

    // MARK: - 4: the day-two figure (pairwise) against OpenMined PSI

    private func dayTwoFigure(into table: BenchTable) async throws {
        let alliance = try LoopbackAlliance.create(root: root.appendingPathComponent("day-two"), members: ["member-a", "member-b"],
                                                   alliance: "bench-day-two", scheme: .ecdhX25519)
        let a = alliance.contexts["member-a"]!, b = alliance.contexts["member-b"]!
        let n = dayTwo, changed = max(1, dayTwo / 100)
        // A watches n accounts, one in a hundred listed by B on day one; B lists n subjects.
        let watched = alliance.root.appendingPathComponent("watched.csv").path
        let expected = try Self.writeAccounts(n, matchingEvery: 100, of: n, to: watched)
        let dayOne = alliance.root.appendingPathComponent("day-one.csv").path
        try Self.writeEntries(n, prefix: "P", phone: BenchData.phone, to: dayOne)
        _ = try EntryImporter(context: b).run(path: dayOne)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for context in [a, b] {
                let app = try NodeServer.peerApplication(try NodeRuntime(context: context), logLevel: .critical)
                group.addTask { try await app.run() }
            }
            try await FreePort.waitUntilListening(Array(alliance.ports.values))
            let runtime = try NodeRuntime(context: a)
            let client = runtime.makePeerClient()
            var start = Date()
            _ = try await WatchService(context: a, client: client).register(file: watched)
            let registering = Date().timeIntervalSince(start)
            start = Date()
            _ = await runtime.makeSyncRound(client: client).run()
            let firstSync = Date().timeIntervalSince(start)
            let dayOneMatches = try a.store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM matches WHERE retracted_at IS NULL") ?? 0 }
            guard dayOneMatches == expected else { throw NodeError.store("day two bench: \(dayOneMatches) day-one matches for \(expected)") }
            table.row("watch day one (pairwise): A watches \(n), B publishes \(n)",
                      String(format: "%.2f s register+cover, %.2f s sync", registering, firstSync))
            let index = try a.store.read { db in
                (bytes: try Int.fetchOne(db, sql: "SELECT SUM(pgsize) FROM dbstat WHERE name = 'watch_index'") ?? 0,
                 rows: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM watch_index") ?? 0)
            }
            table.row("watch (pairwise): index per account and domain", String(format: "%.1f B (%d rows: own + 1 peer)",
                                                                               Double(index.bytes) / Double(max(1, index.rows)), index.rows),
                      goal: "≤ 24 B/account/peer")

            // Day two: B lists `changed` accounts A watches (not listed before) and revokes `changed` listed ones.
            let dayTwoFile = alliance.root.appendingPathComponent("day-two.csv").path
            var text = "entry_id,list,category,severity,kind,identifier,listed_on,expires_on\n"
            for row in 0..<changed { text += "Q\(row),black,brushing,2,phone,\(BenchData.otherPhone(row * 100 + 1)),2026-01-01,\n" }
            try text.write(toFile: dayTwoFile, atomically: true, encoding: .utf8)
            _ = try EntryImporter(context: b).run(path: dayTwoFile)
            for row in 0..<changed { _ = try EntryRevoker(context: b).revoke(entryID: "P\(row * 100)", reason: .rectified) }
            let before = try a.store.read { db in try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM outbox") ?? 0 }
            // Day two comes a day later: by then day one's write-ahead log has long been checkpointed into the
            // store (by later commits or the passive checkpoint), so the round is not charged with day one's.
            try await a.store.pool.writeWithoutTransaction { db in _ = try Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)") }
            start = Date()
            let results = await runtime.makeSyncRound(client: client).run()
            let seconds = Date().timeIntervalSince(start)
            await client.shutdown()
            if let error = results.first(where: { $0.error != nil })?.error { throw NodeError.peer(member: "member-b", reason: error) }
            let records = try a.store.read { db in try Outbox.read(after: before, limit: 10 * changed + 10, db) }
            let matches = records.filter { $0.json.contains("\"type\":\"match\"") }.count
            let retractions = records.filter { $0.json.contains("\"type\":\"retraction\"") }.count
            guard matches == changed, retractions == changed else {
                throw NodeError.store("day two bench: \(matches) matches and \(retractions) retractions for \(changed) each")
            }
            // Every token of every pairwise event A applies is re-masked once: the new entries and the revocations.
            let operations = results.reduce(0) { $0 + $1.applied }
            table.row("watch day two: A up to date (+\(changed) listed, \(changed) revoked)",
                      String(format: "%.3f s, %d X25519 at A", seconds, operations))
            if runAnchor, let anchor = OpenMinedAnchor.run(count: n) {
                table.row("OpenMined PSI \(n)×\(n) re-run (P-256)", String(format: "%.2f s, ≈ %d EC mults", anchor.total, 3 * n))
                table.row("ratio OpenMined re-run / watch day two", String(format: "%.0f×", anchor.total / seconds), goal: "≥ 100×")
            } else if runAnchor {
                table.row("OpenMined PSI anchor", "not run (pip install openmined-psi)")
            }
            group.cancelAll()
        }
    }

    // MARK: - data

    /// `count` accounts; account i with i % every == 0 (and i / every < entries) is entry (i/every·every)'s
    /// phone, the others match nothing. Returns how many match.
    static func writeAccounts(_ count: Int, matchingEvery every: Int, of entries: Int, to path: String) throws -> Int {
        try write(to: path, header: "ref,kind,identifier\n", count: count) { row, text in
            if row % every == 0, row < entries {
                text += "a\(row),phone,\(BenchData.phone(row))\n"
                return true
            }
            text += "a\(row),phone,\(BenchData.otherPhone(row))\n"
            return false
        }
    }

    static func writeEntries(_ count: Int, prefix: String, phone: (Int) -> String, to path: String) throws {
        _ = try write(to: path, header: "entry_id,list,category,severity,kind,identifier,listed_on,expires_on\n", count: count) { row, text in
            text += "\(prefix)\(row),black,brushing,2,phone,\(phone(row)),2026-01-01,\n"
            return false
        }
    }

    /// Writes `count` rows in 1 MiB pieces and syncs the file; returns how many rows `line` flagged.
    private static func write(to path: String, header: String, count: Int, _ line: (Int, inout String) -> Bool) throws -> Int {
        FileManager.default.createFile(atPath: path, contents: nil)
        guard let handle = FileHandle(forWritingAtPath: path) else { throw NodeError.fileUnwritable(path, reason: "cannot create") }
        defer { try? handle.close() }
        var flagged = 0
        var chunk = header
        for row in 0..<count {
            if line(row, &chunk) { flagged += 1 }
            if chunk.utf8.count > 1 << 20 {
                try handle.write(contentsOf: Data(chunk.utf8))
                chunk = ""
            }
        }
        try handle.write(contentsOf: Data(chunk.utf8))
        // On disk before anything is timed: the kernel's write-back of a 250 MB input would otherwise
        // compete with the timed work's own writes (the first run after writing it was up to 25 % slower).
        try handle.synchronize()
        return flagged
    }
}

/// The `ref` of an outbox record's JSON.
enum WatchRecordRef {
    static func ref(in json: String) -> String? {
        (try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])?["ref"] as? String
    }
}
