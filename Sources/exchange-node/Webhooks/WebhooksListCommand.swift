import ArgumentParser
import ExchangeNode
import Foundation

/// `exchange-node webhooks list --home H [--json]`.
struct WebhooksListCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List the endpoints and their delivery state.")

    @OptionGroup var options: HomeOption

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    func run() async throws {
        let context = try NodeContext(home: options.nodeHome)
        let endpoints = try WebhookStatus.collect(home: context.home, store: context.store)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
            print(String(decoding: try encoder.encode(endpoints), as: UTF8.self))
        } else if endpoints.isEmpty {
            print("no webhook endpoints (exchange-node webhooks add --home H --url URL --secret-file F)")
        } else {
            for endpoint in endpoints { print(endpoint.line) }
        }
    }
}
