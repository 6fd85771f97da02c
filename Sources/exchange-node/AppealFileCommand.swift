import ArgumentParser
import ExchangeNode
import ExchangeProtocol
import ExchangeRuntime
import Foundation

/// `appeal file --home HOME --entry ORIGIN:ENTRY_ID --reason TEXT`.
struct AppealFileCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "file",
        abstract: "File an appeal against another member's entry that matched one of our accounts."
    )

    @OptionGroup var options: HomeOption

    @Option(name: .long, help: "The entry, as ORIGIN:ENTRY_ID (see the match in the outbox).")
    var entry: String

    @Option(name: .long, help: "The evidence, as free text (at most 2000 characters). Never include identifiers.")
    var reason: String

    @Option(name: .customLong("appeal-id"), help: "Re-send an appeal with this id (a UUID) instead of a new one.")
    var appealID: String?

    func run() async throws {
        guard let colon = entry.firstIndex(of: ":"), colon != entry.startIndex, entry.index(after: colon) != entry.endIndex else {
            throw ValidationError("--entry must be ORIGIN:ENTRY_ID")
        }
        let origin = String(entry[..<colon])
        let entryID = String(entry[entry.index(after: colon)...])
        FileHandle.standardError.write(Data((AppealTextWarning.text + "\n").utf8))
        let runtime = try NodeRuntime(context: NodeContext(home: options.nodeHome))
        let client = runtime.makePeerClient()
        let result: Result<Appeal, AppealError>
        do throws(AppealError) {
            result = .success(try await AppealFiler(context: runtime.context, client: client)
                .file(entry: origin, entryID, reason: reason, appealID: appealID ?? AppealID.make()))
        } catch {
            result = .failure(error)
        }
        await client.shutdown()
        try? runtime.context.audit.flush()
        let appeal = try result.get()
        print("filed appeal \(appeal.id) against \(appeal.entryReference); the origin must decide by \(appeal.deadline)")
    }
}
