import ArgumentParser
import ExchangeNode

/// `--home HOME`, shared by the commands that work on a node home.
struct HomeOption: ParsableArguments {
    @Option(name: .long, help: "The node's home directory.")
    var home: String

    var nodeHome: NodeHome { NodeHome(home) }
}
