import ArgumentParser
import ExchangeNode
import Foundation

/// `exchange-node watch remove --home HOME FILE`.
struct WatchRemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Stop watching accounts, by ref (CSV with header `ref`, or JSONL), all or nothing.",
        discussion: "Open matches of removed accounts stay as they are (the subject is still listed); see docs/watch.md."
    )

    @OptionGroup var options: HomeOption

    @Argument(help: "File of refs (CSV with header `ref`, or JSONL with a `ref` key).")
    var file: String

    func run() async throws {
        let context = try NodeContext(home: options.nodeHome)
        do {
            let outcome = try WatchService(context: context, client: nil).remove(file: file)
            try? context.audit.flush()
            print("removed \(outcome.removed) accounts (\(outcome.notWatched) not watched)")
        } catch {
            try? context.audit.flush()
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(2)
        }
    }
}
