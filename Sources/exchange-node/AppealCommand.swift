import ArgumentParser
import ExchangeNode
import ExchangeProtocol
import ExchangeRuntime
import Foundation

/// `exchange-node appeal file|list|show|resolve`: objections against entries (异议申诉).
struct AppealCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "appeal",
        abstract: "File, list and decide appeals against blacklist entries.",
        discussion: """
            A member whose account matched an entry files an appeal on the subject's behalf at the \
            entry's origin (over mTLS). The origin's operator upholds it (the entry is revoked with \
            reason appeal-upheld and every peer retracts its matches) or rejects it with a reason the \
            filer is told. Appeals name the entry only: the reason text must not contain identifiers.
            """,
        subcommands: [AppealFileCommand.self, AppealListCommand.self, AppealShowCommand.self, AppealResolveCommand.self]
    )
}
