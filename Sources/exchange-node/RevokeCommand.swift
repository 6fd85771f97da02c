import ArgumentParser
import ExchangeNode
import ExchangeProtocol

/// `exchange-node revoke --home HOME --entry ID --reason REASON`.
struct RevokeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "revoke",
        abstract: "Revoke one of this member's entries; peers honour it on their next sync.",
        discussion: "Reasons: \(RevocationReason.allCases.map(\.rawValue).joined(separator: ", "))."
    )

    @OptionGroup var options: HomeOption

    @Option(name: .long, help: "The entry id (as imported).")
    var entry: String

    @Option(name: .long, help: "appeal-upheld, rectified, erroneous or expired.")
    var reason: String

    func run() async throws {
        guard let reason = RevocationReason(rawValue: reason) else {
            throw ValidationError("--reason must be one of \(RevocationReason.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        let context = try NodeContext(home: options.nodeHome)
        let outcome = try EntryRevoker(context: context).revoke(entryID: entry, reason: reason)
        try? context.audit.flush()
        print("revoked \(context.member):\(entry) (\(reason.rawValue)) as event #\(outcome.seq), version \(outcome.version); \(outcome.retractions) retraction(s) queued in the outbox")
    }
}
