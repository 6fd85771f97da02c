import ArgumentParser
import ExchangeCrypto
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

/// Prints aligned rows: figure, value, goal.
final class BenchTable: @unchecked Sendable {
    func header() {
        print(pad("figure", 46) + pad("value", 26) + "goal")
        print(String(repeating: "-", count: 90))
    }

    func row(_ figure: String, _ value: String, goal: String = "") {
        print(pad(figure, 46) + pad(value, 26) + goal)
        fflush(nil)
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    static func rate(_ count: Int, _ seconds: Double, _ unit: String) -> String {
        let perSecond = Double(count) / max(seconds, 1e-9)
        return perSecond >= 1e6 ? String(format: "%.2f M %@/s", perSecond / 1e6, unit) : String(format: "%.1f k %@/s", perSecond / 1e3, unit)
    }
}

/// Tokenising on 1 and 2 threads.
struct TokeniseBench {
    let count: Int

    func run(into table: BenchTable) {
        let tokenizer = KeyedHashTokenizer(key: .generate(epoch: 1, created: "bench"))
        let identifiers = (0..<count).map { SubjectIdentifier(kind: .phone, uncheckedCanonical: BenchData.phone($0)) }
        for threads in [1, 2] {
            let start = Date()
            let out = tokenizer.tokensInParallel(for: identifiers, threads: threads)
            table.row("tokenise keyed-hash, \(threads) thread\(threads == 1 ? "" : "s")", BenchTable.rate(out.count, Date().timeIntervalSince(start), "ids"),
                      goal: threads == 2 ? "≥ 1.5 M ids/s" : "")
        }
    }
}

/// Synthetic but valid data: distinct mainland mobile numbers.
enum BenchData {
    /// The i-th number in +86 139 xxxx xxxx (entries) — distinct for i < 10^8.
    static func phone(_ index: Int) -> String { "+86139" + eightDigits(index) }
    /// The i-th number in +86 158 xxxx xxxx (accounts that match nothing).
    static func otherPhone(_ index: Int) -> String { "+86158" + eightDigits(index) }

    static func eightDigits(_ value: Int) -> String {
        var digits = [UInt8](repeating: 48, count: 8)
        var rest = value % 100_000_000
        for position in stride(from: 7, through: 0, by: -1) {
            digits[position] = UInt8(48 + rest % 10)
            rest /= 10
        }
        return String(decoding: digits, as: UTF8.self)
    }
}
