import ArgumentParser
import ExchangeNode
import Foundation
import GRDB

/// `exchange-node keys`: shows the node's keys (fingerprints and epochs, never key bytes) and
/// rotates its pairwise (ecdh-x25519) key.
struct KeysCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "keys",
        abstract: "Show the node's keys, rotate its pairwise (ecdh-x25519) key.",
        subcommands: [KeysShowCommand.self, KeysRotateCommand.self]
    )
}
