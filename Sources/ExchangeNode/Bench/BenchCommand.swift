import ArgumentParser
import ExchangeCrypto
import Foundation

/// `exchange-node bench`: prints the performance figures the issues ask for. Build with
/// `-c release` for meaningful numbers: `swift run -c release exchange-node bench`.
struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Measure tokenise and import rates (use a release build).",
        discussion: "Creates a throwaway alliance and node in a temporary folder; prints one row per figure."
    )

    @Option(name: .long, help: "Identifiers to tokenise.")
    var tokens: Int = 1_000_000

    @Option(name: .long, help: "Rows to import.")
    var rows: Int = 1_000_000

    func run() async throws {
        print("figure                               value")
        let key = AllianceTokenKey.generate(epoch: 1, created: "bench")
        let tokenizer = KeyedHashTokenizer(key: key)
        let identifiers = (0..<tokens).map { SubjectIdentifier(kind: .phone, uncheckedCanonical: "+86139\(String(format: "%08d", $0 % 100_000_000))") }
        for threads in [1, 2] {
            let start = Date()
            let out = tokenizer.tokensInParallel(for: identifiers, threads: threads)
            let rate = Double(out.count) / Date().timeIntervalSince(start)
            print("tokenise keyed-hash, \(threads) thread(s)      \(Int(rate)) ids/s")
        }
        let root = NSTemporaryDirectory() + "exchange-node-bench-\(UInt32.random(in: 0...UInt32.max))"
        defer { try? FileManager.default.removeItem(atPath: root) }
        let ca = AllianceDirectory(root + "/ca")
        _ = try ca.initialise(allianceName: "bench")
        _ = try ca.issue(try MemberCertificateRequest(memberID: MemberID("bench")))
        let home = NodeHome(root + "/node")
        try NodeSetup.create(home: home, config: NodeConfig(member: "bench", listen: "127.0.0.1:1", internalListen: "127.0.0.1:2"),
                             certificatesFolder: URL(fileURLWithPath: ca.root))
        let file = root + "/entries.csv"
        var text = "entry_id,list,category,severity,kind,identifier,listed_on,expires_on\n"
        text.reserveCapacity(rows * 70)
        for row in 0..<rows { text += "E\(row),black,brushing,2,phone,139\(String(format: "%08d", row % 100_000_000)),2026-01-01,2027-01-01\n" }
        try text.write(toFile: file, atomically: false, encoding: .utf8)
        let context = try NodeContext(home: home)
        let start = Date()
        let outcome = try EntryImporter(context: context).run(path: file)
        let seconds = Date().timeIntervalSince(start)
        print("import \(outcome.rows) rows (CSV → SQLite)      \(Int(Double(outcome.rows) / seconds)) rows/s (\(String(format: "%.2f", seconds)) s)")
    }
}
