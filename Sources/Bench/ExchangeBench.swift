import AsyncHTTPClient
import ExchangeDemo
import ExchangeNode
import ExchangeProtocol
import ExchangeRuntime
import Foundation
import NIOCore

/// Import at one node, sync to another over mTLS, then screen at the receiver in batch and in
/// real time, with the memory the screening index takes.
package struct ExchangeBench {
    let alliance: LoopbackAlliance
    let entries: Int
    let accounts: Int
    let requests: Int

    package init(alliance: LoopbackAlliance, entries: Int, accounts: Int, requests: Int) {
        self.alliance = alliance
        self.entries = entries
        self.accounts = accounts
        self.requests = requests
    }

    package func run(into table: BenchTable) async throws {
        let origin = alliance.contexts["origin"]!
        let receiver = alliance.contexts["receiver"]!

        let entriesFile = alliance.root.appendingPathComponent("entries.csv").path
        try writeEntries(to: entriesFile)
        var start = Date()
        let imported = try EntryImporter(context: origin).run(path: entriesFile)
        table.row("import \(imported.rows) rows (CSV → SQLite)", BenchTable.rate(imported.rows, Date().timeIntervalSince(start), "rows"),
                  goal: "≥ 100 k rows/s")

        try await withThrowingTaskGroup(of: Void.self) { group in
            let originRuntime = try NodeRuntime(context: origin)
            let originApp = try NodeServer.peerApplication(originRuntime, logLevel: .critical)
            group.addTask { try await originApp.run() }
            let receiverRuntime = try NodeRuntime(context: receiver)
            try await FreePort.waitUntilListening([alliance.ports["origin"]!])

            start = Date()
            let client = receiverRuntime.makePeerClient()
            let results = await receiverRuntime.makeSyncRound(client: client).run()
            await client.shutdown()
            let seconds = Date().timeIntervalSince(start)
            if let error = results.first?.error { throw NodeError.peer(member: "origin", reason: error) }
            let applied = results.reduce(0) { $0 + $1.applied }
            table.row("sync \(applied) entries over mTLS (\(results.first?.pages ?? 0) pages)", BenchTable.rate(applied, seconds, "entries"),
                      goal: "≥ 100 k entries/s")

            start = Date()
            let service = try ScreeningService(context: receiver)
            let index = service.engine.index
            table.row("screening index load (\(index.tokenCount) tokens)", String(format: "%.2f s", Date().timeIntervalSince(start)))
            table.row("screening index memory per token", String(format: "%.1f B", Double(index.residentBytes) / Double(max(1, index.tokenCount))),
                      goal: "≤ 40 B/token")

            let accountsFile = alliance.root.appendingPathComponent("accounts.csv").path
            let expectedMatches = try writeAccounts(to: accountsFile)
            start = Date()
            var matched = 0
            let summary = try await BatchScreening(engine: service.engine, day: Day(parsing: "2026-06-01")!)
                .run(path: accountsFile, progress: nil, emit: { _ in }, reject: { _ in })
            matched = summary.matches.count
            table.row("batch screen \(summary.rows) accounts vs \(index.tokenCount)", BenchTable.rate(summary.rows, Date().timeIntervalSince(start), "accounts"),
                      goal: "≥ 1 M accounts/s")
            guard matched == expectedMatches, summary.rejected == 0 else {
                throw NodeError.store("bench: expected \(expectedMatches) matches, got \(matched) (\(summary.rejected) rejected)")
            }

            let internalApp = try InternalServer.application(receiverRuntime, screening: service, logLevel: .critical)
            group.addTask { try await internalApp.run() }
            let latency = try await measureLatency(receiver: receiver)
            table.row("real-time screen latency p50 / p99", String(format: "%.2f / %.2f ms", latency.p50, latency.p99), goal: "p99 ≤ 2 ms")
            group.cancelAll()
        }
    }

    private func writeEntries(to path: String) throws {
        var text = "entry_id,list,category,severity,kind,identifier,listed_on,expires_on\n"
        text.reserveCapacity(entries * 72)
        for row in 0..<entries {
            text += "E\(row),black,brushing,2,phone,\(BenchData.phone(row)),2026-01-01,2027-01-01\n"
        }
        try text.write(toFile: path, atomically: false, encoding: .utf8)
    }

    /// One account in a hundred is on the list; returns how many should match.
    private func writeAccounts(to path: String) throws -> Int {
        guard let handle = FileHandle(forWritingAtPath: path) ?? {
            FileManager.default.createFile(atPath: path, contents: nil)
            return FileHandle(forWritingAtPath: path)
        }() else { throw NodeError.fileUnwritable(path, reason: "cannot create") }
        defer { try? handle.close() }
        var matches = 0
        var chunk = "ref,kind,identifier\n"
        for row in 0..<accounts {
            if row % 100 == 0, entries > 0 {
                chunk += "a\(row),phone,\(BenchData.phone((row / 100) % entries))\n"
                matches += 1
            } else {
                chunk += "a\(row),phone,\(BenchData.otherPhone(row))\n"
            }
            if chunk.utf8.count > 1 << 20 {
                try handle.write(contentsOf: Data(chunk.utf8))
                chunk = ""
            }
        }
        try handle.write(contentsOf: Data(chunk.utf8))
        return matches
    }

    private func measureLatency(receiver: NodeContext) async throws -> (p50: Double, p99: Double) {
        let token = String(decoding: try SecureFile.readSecret(receiver.home.internalTokenFile), as: UTF8.self)
        let url = "http://\(receiver.config.internalListen)/v1/screen"
        let port = try HostPort(parsing: receiver.config.internalListen).port
        try await FreePort.waitUntilListening([port])
        let http = HTTPClient(eventLoopGroupProvider: .singleton)
        defer { _ = http.shutdown() }
        var samples: [Double] = []
        samples.reserveCapacity(requests)
        for index in 0..<(requests + 100) {
            var request = HTTPClientRequest(url: url)
            request.method = .POST
            request.headers.add(name: "Authorization", value: "Bearer \(token)")
            request.headers.add(name: "Content-Type", value: "application/json")
            let phone = index % 2 == 0 ? BenchData.phone(index % max(1, entries)) : BenchData.otherPhone(index)
            request.body = .bytes(ByteBuffer(string: "{\"ref\":\"rt\(index)\",\"kind\":\"phone\",\"identifier\":\"\(phone)\"}"))
            let start = DispatchTime.now().uptimeNanoseconds
            let response = try await http.execute(request, timeout: .seconds(10))
            _ = try await response.body.collect(upTo: 1 << 20)
            let elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
            guard response.status == .ok else { throw NodeError.store("bench: real-time screen answered \(response.status.code)") }
            if index >= 100 { samples.append(elapsed) }  // the first 100 warm the connection up
        }
        samples.sort()
        return (samples[samples.count / 2], samples[min(samples.count - 1, Int(Double(samples.count) * 0.99))])
    }
}
