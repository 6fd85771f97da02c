import ArgumentParser
import ExchangeNode
import Foundation

/// `exchange-node watch status --home HOME [--json]`.
struct WatchStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show how many accounts are watched and, per peer, how much of them its key epoch covers."
    )

    @OptionGroup var options: HomeOption

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    func run() async throws {
        let context = try NodeContext(home: options.nodeHome)
        let status = try WatchService(context: context, client: nil).status()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(status), as: UTF8.self))
        } else {
            print(status.text)
        }
    }
}
