import ArgumentParser

/// `exchange-node webhooks add|list|remove`: push delivery of the outbox to the member's endpoints.
struct WebhooksCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "webhooks",
        abstract: "Manage the endpoints `serve` delivers outbox records to (signed, in order, at least once).",
        discussion: "See docs/integration.md for the delivery, the signature and how a receiver verifies it.",
        subcommands: [WebhooksAddCommand.self, WebhooksListCommand.self, WebhooksRemoveCommand.self]
    )
}
