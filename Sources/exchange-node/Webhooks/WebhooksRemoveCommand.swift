import ArgumentParser
import ExchangeNode

/// `exchange-node webhooks remove --home H --id ID`.
struct WebhooksRemoveCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "remove",
        abstract: "Remove an endpoint, its secret and its delivery state (polling /v1/outbox is not affected)."
    )

    @OptionGroup var options: HomeOption

    @Option(name: .long, help: "The endpoint's id (see `webhooks list`).")
    var id: String

    func run() async throws {
        let context = try NodeContext(home: options.nodeHome)
        guard try WebhookAdministration.remove(context: context, id: id) else {
            throw ValidationError("no webhook endpoint '\(id)' (see `webhooks list`)")
        }
        print("webhook \(id) removed")
    }
}
