import AsyncHTTPClient
import ExchangeDemo
import ExchangeNode
import ExchangeProtocol
import ExchangeRuntime
import Foundation
import GRDBSQLite
import NIOCore
import Synchronization

/// A bounded load run on loopback: one hub node serves its peer listener and its internal API
/// while `clients` concurrent clients screen single accounts as fast as they can, three peer
/// nodes sync from it in a loop, and the hub keeps amending its entries (re-importing 1 000 of them
/// as new versions with new identifiers every 500 ms, so the store and index stay the same size).
/// The clients screen a fixed base of 100 000 accounts over and over (matches are recorded once
/// per account and entry). Reports throughput, latency percentiles, errors and the process's
/// resident memory, sampled every second: in this steady state it must level off.
package struct LoadBench {
    let root: URL
    let seconds: Double
    let clients: Int
    let entries: Int

    /// Distinct accounts the screening clients cycle through.
    static let accountBase = 100_000

    package init(root: URL, seconds: Double, clients: Int, entries: Int) {
        self.root = root
        self.seconds = seconds
        self.clients = clients
        self.entries = entries
    }

    struct Report: Sendable {
        mutating func sample() {
            rss.append(LoadBench.residentKiB())
            sqliteHeap.append(LoadBench.sqliteHeapKiB())
        }

        var requests = 0
        var errors = 0
        /// Fixed-size, so the load run's own bookkeeping does not grow the memory it reports.
        var latencies = LatencyHistogram()
        var syncRounds = 0
        var syncErrors = 0
        var entriesSynced = 0
        var imports = 0
        var rss: [Int] = []
        /// SQLite's own heap (page caches of every connection of the four nodes), KiB, sampled with `rss`.
        var sqliteHeap: [Int] = []
    }

    package func run(into table: BenchTable) async throws {
        let members = ["hub", "peer-1", "peer-2", "peer-3"]
        let alliance = try LoopbackAlliance.create(root: root, members: members, alliance: "load")
        let hub = alliance.contexts["hub"]!
        try importBatch(hub, from: 0, count: entries)
        let report = ReportBox()
        let deadline = Date().addingTimeInterval(seconds)
        try await withThrowingTaskGroup(of: Void.self) { servers in
            var runtimes: [String: NodeRuntime] = [:]
            for member in members {
                let runtime = try NodeRuntime(context: alliance.contexts[member]!)
                runtimes[member] = runtime
                let app = try NodeServer.peerApplication(runtime, logLevel: .critical)
                servers.addTask { try await app.run() }
            }
            let hubRuntime = runtimes["hub"]!
            let peerRuntimes = runtimes
            let maskingClient = hubRuntime.makePeerClient()
            let screening = try ScreeningService(context: hub, client: maskingClient)
            let internalApp = try InternalServer.application(hubRuntime, screening: screening, logLevel: .critical)
            servers.addTask { try await internalApp.run() }
            try await FreePort.waitUntilListening(Array(alliance.ports.values) + [try HostPort(parsing: hub.config.internalListen).port])
            report.state.withLock { $0.sample() }

            try await withThrowingTaskGroup(of: Void.self) { load in
                let http = HTTPClient(eventLoopGroupProvider: .singleton,
                                      configuration: .init(connectionPool: .init(idleTimeout: .seconds(30), concurrentHTTP1ConnectionsPerHostSoftLimit: clients)))
                let token = String(decoding: try SecureFile.readSecret(hub.home.internalTokenFile), as: UTF8.self)
                for client in 0..<clients {
                    load.addTask {
                        var index = client
                        while Date() < deadline {
                            // A member's account base: the same 100 000 accounts, screened again and again.
                            let account = index % Self.accountBase
                            let phone = account % 3 == 0 ? BenchData.phone(account % max(1, entries)) : BenchData.otherPhone(account)
                            var request = HTTPClientRequest(url: "http://\(hub.config.internalListen)/v1/screen")
                            request.method = .POST
                            request.headers.add(name: "Authorization", value: "Bearer \(token)")
                            request.body = .bytes(ByteBuffer(string: "{\"ref\":\"acct\(account)\",\"kind\":\"phone\",\"identifier\":\"\(phone)\"}"))
                            let start = DispatchTime.now().uptimeNanoseconds
                            var failed = false
                            do {
                                let response = try await http.execute(request, timeout: .seconds(10))
                                _ = try await response.body.collect(upTo: 1 << 20)
                                failed = response.status != .ok
                            } catch {
                                failed = true
                            }
                            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
                            report.state.withLock {
                                $0.requests += 1
                                if failed { $0.errors += 1 } else { $0.latencies.record(milliseconds: elapsed) }
                            }
                            index += clients
                        }
                    }
                }
                for member in members where member != "hub" {
                    load.addTask {
                        let runtime = peerRuntimes[member]!
                        let client = runtime.makePeerClient()
                        while Date() < deadline {
                            let results = await runtime.makeSyncRound(client: client).run()
                            report.state.withLock {
                                $0.syncRounds += 1
                                $0.syncErrors += results.filter { $0.error != nil }.count
                                $0.entriesSynced += results.reduce(0) { $0 + $1.applied }
                            }
                            try? await Task.sleep(for: .milliseconds(200))
                        }
                        await client.shutdown()
                    }
                }
                load.addTask {
                    var round = 0
                    while Date() < deadline {
                        try? await Task.sleep(for: .milliseconds(500))
                        round += 1
                        // Entries L0..L(entries-1) in windows of 1 000, each time with other identifiers.
                        let window = (round * 1_000) % max(1_000, entries)
                        try importBatch(hub, from: window, count: min(1_000, entries), version: round)
                        report.state.withLock { $0.imports += 1 }
                    }
                }
                load.addTask {
                    while Date() < deadline {
                        try? await Task.sleep(for: .seconds(1))
                        report.state.withLock { $0.sample() }
                    }
                }
                try await load.waitForAll()
                try await http.shutdown()
            }
            await maskingClient.shutdown()
            servers.cancelAll()
        }
        let final = report.state.withLock { $0 }
        func percentile(_ p: Double) -> Double { final.latencies.percentile(p) }
        table.row("load: \(clients) screening clients for \(Int(seconds)) s", BenchTable.rate(final.requests, seconds, "requests"))
        table.row("load: screen latency p50 / p99 under load", String(format: "%.2f / %.2f ms", percentile(0.5), percentile(0.99)))
        table.row("load: request errors", "\(final.errors) of \(final.requests)", goal: "0")
        table.row("load: sync rounds by 3 peers (entries applied)", "\(final.syncRounds) (\(final.entriesSynced)), \(final.syncErrors) errors", goal: "0 errors")
        table.row("load: hub amendments during the run", "\(final.imports) × 1000 entries (new versions)")
        let rss = final.rss
        let early = rss.prefix(max(1, rss.count / 3)).max() ?? 0
        let late = rss.suffix(max(1, rss.count / 3)).max() ?? 0
        table.row("load: resident memory max, first / last third", "\(early / 1024) / \(late / 1024) MiB (\(rss.count) samples)")
        // The whole curve, ten points, and how much of it is SQLite's page caches filling up (bounded by
        // cache_size per connection): what is left is the node's own memory, which must stay level.
        let step = max(1, rss.count / 10)
        let points = Array(stride(from: 0, to: rss.count, by: step))
        table.row("load: resident memory curve (MiB)", points.map { "\(rss[$0] / 1024)" }.joined(separator: " "))
        table.row("load: of which SQLite caches (MiB)", points.map { "\(final.sqliteHeap[$0] / 1024)" }.joined(separator: " "))
        table.row("load: resident minus SQLite (MiB)", points.map { "\((rss[$0] - final.sqliteHeap[$0]) / 1024)" }.joined(separator: " "))
        guard final.errors == 0, final.syncErrors == 0 else {
            throw NodeError.store("load run had \(final.errors) request errors and \(final.syncErrors) sync errors")
        }
    }

    final class ReportBox: Sendable {
        let state = Mutex(Report())
    }

    /// Imports entries L`start`..., version 0 with the identifiers screening clients look for, later
    /// versions with others (an amendment replaces the entry's tokens).
    private func importBatch(_ context: NodeContext, from start: Int, count: Int, version: Int = 0) throws {
        let file = root.appendingPathComponent("load-\(start).csv").path
        var text = "entry_id,list,category,severity,kind,identifier,listed_on,expires_on\n"
        for row in start..<(start + count) {
            let phone = version % 2 == 0 ? BenchData.phone(row) : BenchData.otherPhone(row)
            text += "L\(row),black,brushing,2,phone,\(phone),2026-01-01,2099-01-01\n"
        }
        try text.write(toFile: file, atomically: false, encoding: .utf8)
        _ = try EntryImporter(context: context).run(path: file)
        try? FileManager.default.removeItem(atPath: file)
    }

    /// SQLite's heap in KiB (all connections of this process).
    static func sqliteHeapKiB() -> Int { Int(sqlite3_memory_used() / 1024) }

    /// VmRSS of this process in KiB (the hub and its peers run in-process).
    static func residentKiB() -> Int {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
              let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmRSS:") }) else { return 0 }
        return Int(line.split(separator: " ").dropFirst().first ?? "0") ?? 0
    }
}
