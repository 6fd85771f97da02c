import ArgumentParser
import ExchangeNode
import ExchangeProtocol
import ExchangeRuntime
import Foundation

/// `appeal resolve --home HOME --appeal ID --uphold|--reject --reason TEXT` (at the origin).
struct AppealResolveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "resolve",
        abstract: "Decide an appeal against one of our entries: --uphold revokes the entry, --reject tells the filer why."
    )

    @OptionGroup var options: HomeOption

    @Option(name: .long, help: "The appeal id.")
    var appeal: String

    @Flag(name: .long, help: "Uphold: revoke the entry (reason appeal-upheld); every peer retracts its matches.")
    var uphold = false

    @Flag(name: .long, help: "Reject: the entry stays; --reason is sent to the filer.")
    var reject = false

    @Option(name: .long, help: "Why (required with --reject; sent to the filer). Never include identifiers.")
    var reason: String?

    func validate() throws {
        guard uphold != reject else { throw ValidationError("give exactly one of --uphold and --reject") }
        if reject, (reason ?? "").trimmingCharacters(in: .whitespaces).isEmpty {
            throw ValidationError("--reject needs --reason (the filer is told)")
        }
    }

    func run() async throws {
        if reason != nil { FileHandle.standardError.write(Data((AppealTextWarning.text + "\n").utf8)) }
        let context = try NodeContext(home: options.nodeHome)
        try AppealDeadlines.sweep(context)
        let outcome = try AppealDecision(context: context).resolve(appealID: appeal, verdict: uphold ? .uphold : .reject, reason: reason)
        try? context.audit.flush()
        switch outcome.appeal.status {
        case .upheld:
            if let revocation = outcome.revocation {
                print("appeal \(outcome.appeal.id) upheld: \(outcome.appeal.entryReference) revoked (appeal-upheld) as event #\(revocation.seq); peers retract on their next sync")
            } else {
                print("appeal \(outcome.appeal.id) upheld: \(outcome.appeal.entryReference) was already revoked")
            }
            if !outcome.alsoClosed.isEmpty {
                print("also closed as upheld (same entry): \(outcome.alsoClosed.joined(separator: ", "))")
            }
        default:
            print("appeal \(outcome.appeal.id) rejected; \(outcome.appeal.filer) learns the reason when it next asks")
        }
    }
}
