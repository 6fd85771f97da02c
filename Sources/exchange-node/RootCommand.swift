import ArgumentParser
import ExchangeNode

/// `exchange-node`: the node every alliance member runs, and the alliance coordinator.
struct RootCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "exchange-node",
        abstract: "Share an anti-fraud blacklist between alliance members without sharing personal data.",
        discussion: """
            Identifiers are normalised and turned into tokens inside the member's node; only tokens
            cross the network, between nodes, over mutually authenticated TLS.

            Start with `exchange-node demo` to see a whole alliance run on loopback.
            """,
        subcommands: [
            DemoCommand.self,
            InitCommand.self,
            ImportCommand.self,
            IdentifierCommand.self,
            StatusCommand.self,
            CertsCommand.self,
            PeersCommand.self,
            WebhooksCommand.self,
            ServeCommand.self,
            SyncCommand.self,
            BackupCommand.self,
            RestoreCommand.self,
            RevokeCommand.self,
            KeysCommand.self,
            AppealCommand.self,
            ScreenCommand.self,
            WatchCommand.self,
            AuditCommand.self,
            BenchCommand.self,
            ReportCommand.self,
            CoordinatorCommand.self,
        ]
    )

    init() {}
}
