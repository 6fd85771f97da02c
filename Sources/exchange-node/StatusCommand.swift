import ArgumentParser
import ExchangeNode
import ExchangeProtocol
import Foundation
import GRDB

/// `exchange-node status`: what the store holds, and which keys are in use (fingerprints only).
struct StatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show counts by origin, list, category and status, store size and key epoch."
    )

    @OptionGroup var options: HomeOption

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    func run() async throws {
        let context = try NodeContext(home: options.nodeHome)
        let report = try NodeStatus.collect(context)
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
        } else {
            print(report.text)
        }
    }
}
