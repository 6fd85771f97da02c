import ArgumentParser
import ExchangeNode
import ExchangeProtocol
import ExchangeRuntime
import Foundation

/// `exchange-node screen --home HOME FILE [--out FILE] [--as-of DATE]`.
struct ScreenCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "screen",
        abstract: "Screen the member's accounts (ref,kind,identifier) against everything the alliance published.",
        discussion: """
            Writes one JSON line per (account, matching entry):
            {"ref","kind","origin","entry_id","list","category","severity","listed_on","expires_on","measures":[...]}
            An entry matches on day D when it is not revoked and listed_on <= D < expires_on.
            Invalid rows do not stop the batch: they are listed in the rejects report
            (FILE:LINE: reason; --rejects, default OUT.rejects or standard error) and the exit status is 4.
            New matches are recorded and queued in the outbox for the member's systems.
            Pairwise scheme: a peer that rotated its key since our last sync with it answers under a new
            epoch; its matches may then be missing. Each such peer is named on standard error ("stale
            origin") and the exit status is 5 (before 4): run `exchange-node sync` and screen again.
            """
    )

    @OptionGroup var options: HomeOption

    @Argument(help: "Accounts file (.csv or .jsonl) with ref,kind,identifier.")
    var file: String

    @Option(name: .long, help: "Output JSONL file (default: standard output).")
    var out: String?

    @Option(name: .long, help: "Rejects report file (default: OUT.rejects, or standard error without --out).")
    var rejects: String?

    @Option(name: .customLong("as-of"), help: "Screen as of this day (YYYY-MM-DD; default today, UTC).")
    var asOf: String?

    @Flag(name: .long, help: "Do not record matches or queue outbox records (a dry run).")
    var noRecord = false

    func run() async throws {
        let day: Day
        if let asOf {
            guard let parsed = Day(parsing: asOf) else { throw ValidationError("--as-of must be YYYY-MM-DD") }
            day = parsed
        } else {
            day = NodeClock.today()
        }
        let context = try NodeContext(home: options.nodeHome)
        let runtime = try NodeRuntime(context: context)
        let client = runtime.makePeerClient()
        let service = try ScreeningService(context: context, client: client)
        let output = try OutputFile(path: out)
        let rejectsPath = rejects ?? out.map { $0 + ".rejects" }
        let rejectsFile = try OutputFile(path: rejectsPath, fallbackToStandardError: true)
        let started = Date()
        let summary: BatchScreening.Summary
        do {
            summary = try await service.screenFile(path: file, day: day, record: !noRecord, progress: ProgressBar(label: "screen"),
                                                   emit: output.write, reject: rejectsFile.write)
        } catch {
            await client.shutdown()
            throw error
        }
        await client.shutdown()
        try output.close()
        try rejectsFile.close()
        try? context.audit.flush()
        let seconds = Date().timeIntervalSince(started)
        let rate = seconds > 0 ? Int(Double(summary.rows) / seconds) : 0
        FileHandle.standardError.write(Data("screened \(summary.rows) accounts as of \(day): \(summary.matches.count) matches on \(summary.matchedAccounts) accounts, \(summary.rejected) rejected row(s)\(rejectsPath.map { " (see \($0))" } ?? ""), \(String(format: "%.2f", seconds)) s (\(rate)/s)\n".utf8))
        for stale in summary.staleOrigins.values.sorted(by: { $0.member < $1.member }) {
            FileHandle.standardError.write(Data("warning: stale origin: \(stale); results for it may be incomplete\n".utf8))
        }
        for origin in summary.unreachableOrigins.values.sorted(by: { $0.member < $1.member }) {
            FileHandle.standardError.write(Data("warning: unreachable origin: \(origin)\n".utf8))
        }
        if !summary.staleOrigins.isEmpty || !summary.unreachableOrigins.isEmpty { throw ExitCode(5) }
        if summary.rejected > 0 { throw ExitCode(4) }
    }
}
