import ArgumentParser
import ExchangeBench
import ExchangeCrypto
import ExchangeDemo
import Foundation

/// `exchange-node bench`: prints every performance figure the issues ask for, in one table.
/// Build with `-c release` for meaningful numbers: `swift run -c release exchange-node bench`.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure tokenise, import, sync, batch-screen and real-time figures (use a release build).",
        discussion: """
            Creates a throwaway two-node alliance in a temporary folder (real certificates, real
            mTLS on loopback, real SQLite files) and prints one row per figure.
            """
    )

    @Option(name: .long, help: "Identifiers to tokenise.")
    var tokens: Int = 1_000_000

    @Option(name: .long, help: "Entries to import at the origin and sync to the receiver.")
    var entries: Int = 1_000_000

    @Option(name: .long, help: "Accounts to screen in batch at the receiver.")
    var accounts: Int = 10_000_000

    @Option(name: .long, help: "Sequential real-time screening requests for the latency figure.")
    var requests: Int = 2_000

    @Option(name: .long, help: "Identifiers per side for the pairwise (ecdh-x25519) matching figure; 0 to skip.")
    var pairwise: Int = 100_000

    @Flag(name: .long, help: "Do not run the OpenMined PSI anchor (python3 + openmined-psi) beside the pairwise figure.")
    var noAnchor = false

    @Option(name: .long, help: "Seconds of the bounded load run (concurrent screening, peers syncing, imports); 0 to skip.")
    var loadSeconds: Double = 20

    @Option(name: .long, help: "Concurrent screening clients in the load run.")
    var loadClients: Int = 16

    @Flag(name: .long, help: "Run only the load run (scripts/load.sh).")
    var loadOnly = false

    @Option(name: .long, help: "Watched accounts registered for the watch figures (keyed hash); 0 to skip registration and the sync ratio.")
    var watchAccounts: Int = 10_000_000

    @Option(name: .long, help: "Entries synced into the watching and the non-watching node.")
    var watchEntries: Int = 1_000_000

    @Option(name: .long, help: "Listings for the import → watcher outbox latency (1 s sync interval); 0 to skip.")
    var watchListings: Int = 200

    @Option(name: .long, help: "Accounts and entries per side of the pairwise day-two figure; 0 to skip.")
    var watchDayTwo: Int = 100_000

    @Flag(name: .long, help: "Run only the watch figures (continuous screening, docs/watch.md).")
    var watchOnly = false

    @Option(name: .long, help: "Keep the bench folder here instead of a temporary one.")
    var dir: String?

    func run() async throws {
        let table = BenchTable()
        table.header()
        let root = URL(fileURLWithPath: dir ?? NSTemporaryDirectory() + "exchange-node-bench-\(UInt32.random(in: 0...UInt32.max))")
        defer { if dir == nil { try? FileManager.default.removeItem(at: root) } }
        let watch = WatchBench(root: root.appendingPathComponent("watch"), accounts: watchAccounts, entries: watchEntries,
                               listings: watchListings, dayTwo: watchDayTwo, runAnchor: !noAnchor)
        if watchOnly {
            try await watch.run(into: table)
            return
        }
        if loadOnly {
            try await LoadBench(root: root.appendingPathComponent("load"), seconds: loadSeconds, clients: loadClients, entries: 20_000)
                .run(into: table)
            return
        }
        TokeniseBench(count: tokens).run(into: table)
        let alliance = try LoopbackAlliance.create(root: root, members: ["origin", "receiver"], alliance: "bench")
        try await ExchangeBench(alliance: alliance, entries: entries, accounts: accounts, requests: requests).run(into: table)
        if pairwise > 0 {
            try await PairwiseBench(root: root.appendingPathComponent("pairwise"), count: pairwise, runAnchor: !noAnchor).run(into: table)
        }
        if loadSeconds > 0 {
            try await LoadBench(root: root.appendingPathComponent("load"), seconds: loadSeconds, clients: loadClients, entries: 20_000)
                .run(into: table)
        }
        try await watch.run(into: table)
    }
}
