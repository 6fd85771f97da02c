import ExchangeCrypto
import ExchangeDemo
import ExchangeNode
import ExchangeProtocol
import ExchangeRuntime
import Foundation

/// Pairwise (`ecdh-x25519`) matching of n × n identifiers between two nodes on loopback — the
/// publisher masks and publishes n entries, the screener pulls and re-masks them, then screens n
/// accounts (masking, one masking round trip to the publisher, lookup) — side by side with the
/// OpenMined PSI anchor (`scripts/openmined_psi_anchor.py`) on the same sets.
package struct PairwiseBench {
    let root: URL
    let count: Int
    let runAnchor: Bool

    package init(root: URL, count: Int, runAnchor: Bool) {
        self.root = root
        self.count = count
        self.runAnchor = runAnchor
    }

    package func run(into table: BenchTable) async throws {
        let alliance = try LoopbackAlliance.create(root: root, members: ["publisher", "screener"], alliance: "bench-pairwise",
                                                   scheme: .ecdhX25519)
        let publisher = alliance.contexts["publisher"]!
        let screener = alliance.contexts["screener"]!
        let entriesFile = root.appendingPathComponent("pairwise-entries.csv").path
        var text = "entry_id,list,category,severity,kind,identifier,listed_on,expires_on\n"
        for row in 0..<count { text += "P\(row),black,brushing,2,phone,\(BenchData.phone(row)),2026-01-01,2027-01-01\n" }
        try text.write(toFile: entriesFile, atomically: false, encoding: .utf8)
        let accounts = (0..<count).map { row in
            Screener.Account(ref: "a\(row)", identifier: SubjectIdentifier(
                kind: .phone, uncheckedCanonical: row % 100 == 0 ? BenchData.phone((row / 100) % count) : BenchData.otherPhone(row)))
        }
        let expected = (0..<count).filter { $0 % 100 == 0 }.count

        let started = Date()
        var start = Date()
        _ = try EntryImporter(context: publisher).run(path: entriesFile)
        let publish = Date().timeIntervalSince(start)
        try await withThrowingTaskGroup(of: Void.self) { group in
            let publisherRuntime = try NodeRuntime(context: publisher)
            let app = try NodeServer.peerApplication(publisherRuntime, logLevel: .critical)
            group.addTask { try await app.run() }
            try await FreePort.waitUntilListening([alliance.ports["publisher"]!])
            let screenerRuntime = try NodeRuntime(context: screener)
            let client = screenerRuntime.makePeerClient()
            start = Date()
            let results = await screenerRuntime.makeSyncRound(client: client).run()
            if let error = results.first?.error { throw NodeError.peer(member: "publisher", reason: error) }
            let transfer = Date().timeIntervalSince(start)
            start = Date()
            let service = try ScreeningService(context: screener, client: client)
            let matches = try await service.engine.screen(accounts, on: Day(parsing: "2026-06-01")!).reduce(0) { $0 + $1.count }
            let screen = Date().timeIntervalSince(start)
            let total = Date().timeIntervalSince(started)
            await client.shutdown()
            group.cancelAll()
            guard matches == expected else { throw NodeError.store("pairwise bench: expected \(expected) matches, got \(matches)") }
            table.row("pairwise \(count)×\(count): publish (mask + sign)", String(format: "%.2f s", publish))
            table.row("pairwise: sync + re-mask at the screener", String(format: "%.2f s", transfer))
            table.row("pairwise: screen (mask, round trip, lookup)", String(format: "%.2f s", screen))
            table.row("pairwise: end to end (\(matches) matches)", String(format: "%.2f s", total))
            // The floor: every pair costs four X25519 masks (publish, re-mask, query, answer), whatever else is done.
            let maskRate = try Self.maskRate()
            let floor = Double(4 * count) / maskRate
            table.row("pairwise: X25519 masks on 2 threads", String(format: "%.1f k/s", maskRate / 1000))
            table.row("pairwise: floor, 4 masks per pair", String(format: "%.2f s", floor))
            if runAnchor, let anchor = OpenMinedAnchor.run(count: count) {
                guard anchor.intersection == expected else {
                    table.row("OpenMined PSI anchor", "wrong intersection \(anchor.intersection)")
                    return
                }
                table.row("OpenMined PSI \(count)×\(count) (P-256), end to end", String(format: "%.2f s", anchor.total))
                table.row("OpenMined: per query (its setup excluded)", String(format: "%.2f s", anchor.total - anchor.setup))
                table.row("ratio OpenMined / pairwise, end to end", String(format: "%.1f×", anchor.total / total), goal: "≥ 5×")
                table.row("ratio OpenMined / floor (best possible)", String(format: "%.1f×", anchor.total / floor))
                // One-time work excluded on both sides: OpenMined's setup, our publish and sync + re-mask.
                table.row("ratio OpenMined / pairwise, per screening", String(format: "%.1f×", (anchor.total - anchor.setup) / screen))
            } else if runAnchor {
                table.row("OpenMined PSI anchor", "not run (pip install openmined-psi)")
            }
        }
    }
}

extension PairwiseBench {
    /// X25519 masks per second with swift-crypto on two threads (40 000 masks).
    static func maskRate() throws -> Double {
        let key = PairwiseMaskingKey.generate(epoch: 1)
        let points = (0..<40_000).map { PairwiseMaskingKey.point(for: SubjectIdentifier(kind: .phone, uncheckedCanonical: BenchData.phone($0))) }
        let start = Date()
        _ = try key.maskInParallel(points, threads: 2)
        return Double(points.count) / Date().timeIntervalSince(start)
    }
}
