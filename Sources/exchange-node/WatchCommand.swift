import ArgumentParser

/// `exchange-node watch add|remove|status`: continuous screening of the member's accounts (docs/watch.md).
struct WatchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "watch",
        abstract: "Watch the member's accounts: every later listing, withdrawal and expiry that concerns one reaches the outbox.",
        discussion: """
            A watched account is screened at once, then matched against every entry that arrives, changes
            or starts or stops being in force, within one sync round, without a re-screen. Under the
            pairwise scheme each peer masks it once (within its daily budget) until a key rotates.
            """,
        subcommands: [WatchAddCommand.self, WatchRemoveCommand.self, WatchStatusCommand.self]
    )
}
