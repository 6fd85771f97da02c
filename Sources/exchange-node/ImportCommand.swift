import ArgumentParser
import ExchangeAudit
import ExchangeNode
import Foundation

/// `exchange-node import --home HOME FILE`.
struct ImportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract: "Import blacklist entries (CSV or JSONL), all or nothing.",
        discussion: """
            Columns: entry_id,list,category,severity,kind,identifier,listed_on,expires_on[,role]
            (CSV header, or the same keys in JSONL). Rows with the same entry_id form one entry with
            several identifiers. One bad row anywhere rejects the whole file; nothing is stored and
            every bad row is reported as FILE:LINE: field: reason. Re-importing an entry id replaces
            it as a new version. Identifiers are tokenised here and never stored in plaintext.
            """
    )

    @OptionGroup var options: HomeOption

    @Argument(help: "The entries file (.csv, .jsonl or .ndjson).")
    var file: String

    func run() async throws {
        let context = try NodeContext(home: options.nodeHome)
        let started = Date()
        do {
            let outcome = try EntryImporter(context: context).run(path: file, progress: ProgressBar(label: "import"))
            try? context.audit.flush()
            let seconds = Date().timeIntervalSince(started)
            print("imported \(outcome.rows) rows as \(outcome.entries) entries (\(outcome.created) new, \(outcome.replaced) replaced, \(outcome.identifiers) identifiers) as events #\(outcome.firstSeq)-#\(outcome.lastSeq)\(outcome.watchMatches > 0 ? ", \(outcome.watchMatches) watch matches" : "") in \(String(format: "%.2f", seconds)) s")
        } catch {
            context.audit.append(AuditEvent(actor: AuditEvent.localActor, role: .operator, action: .importEntries, outcome: .refused))
            try? context.audit.flush()
            FileHandle.standardError.write(Data((error.description + "\n").utf8))
            throw ExitCode(2)
        }
    }
}
