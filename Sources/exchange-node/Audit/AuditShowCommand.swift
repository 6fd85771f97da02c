import ArgumentParser
import ExchangeAudit

/// `exchange-node audit show --home HOME [--action A] [--actor M] [--outcome refused] [--since ISO]
/// [--limit N] [--json]`: list matching records, oldest first.
struct AuditShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "List audit records, filtered.",
        discussion: """
            --action matches a name or a dotted prefix (`sync` lists sync.pull and sync.serve).
            --since takes 2026-11-23, 2026-11-23T08:00, ...Z or ...+08:00 (no zone means UTC).
            --limit keeps the most recent N matching records. This command does not verify the
            chain; run `audit verify` for that.
            """
    )

    @Option(name: .long, help: "The node's home directory.")
    var home: String

    @Option(name: .long, help: "Only this action (or dotted prefix).")
    var action: String?

    @Option(name: .long, help: "Only records by this member id (or 'local', 'unknown').")
    var actor: String?

    @Option(name: .long, help: "Only this outcome: ok, refused or error.")
    var outcome: AuditOutcome?

    @Option(name: .long, help: "Only records at or after this time (ISO 8601).")
    var since: String?

    @Option(name: .long, help: "Show only the most recent N matching records.")
    var limit: Int?

    @Flag(name: .long, help: "Print the records' JSON lines.")
    var json = false

    func validate() throws {
        if let since, AuditFilter.parseTime(since) == nil {
            throw ValidationError("--since: expected a date like 2026-11-23 or 2026-11-23T08:00:00Z")
        }
        if let limit, limit < 0 { throw ValidationError("--limit must not be negative") }
    }

    func run() async throws {
        let filter = AuditFilter(action: action, actor: actor, outcome: outcome,
                                 sinceMillis: since.flatMap(AuditFilter.parseTime), limit: limit)
        let selection: AuditSelection
        do {
            selection = try AuditLog.records(directory: AuditKeyFiles.auditDirectory(home: home), filter: filter)
        } catch {
            AuditStandardError.print("audit show: \(error)")
            throw ExitCode(2)
        }
        for record in selection.records {
            if json {
                print(String(decoding: AuditRecordCodec.render(record).dropLast(), as: UTF8.self))
            } else {
                print(record.textLine)
            }
        }
        if selection.omitted > 0 {
            AuditStandardError.print("(\(selection.omitted) earlier matching record(s) not shown; raise --limit)")
        }
        if selection.unreadableLines > 0 {
            AuditStandardError.print("warning: \(selection.unreadableLines) line(s) are not well-formed records; run `exchange-node audit verify`")
        }
    }
}

extension AuditOutcome: ExpressibleByArgument {}
