import ArgumentParser
import ExchangeNode
import Foundation

/// `exchange-node watch add --home HOME FILE`.
struct WatchAddCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "add",
        abstract: "Register accounts (ref,kind,identifier; CSV or JSONL), all or nothing; their current matches go to the outbox.",
        discussion: """
            The same input as `screen`. One bad row anywhere registers nothing; every bad row is reported
            as FILE:LINE: field: reason (never the identifier) and the exit status is 2. Registering a ref
            again replaces it: with another identifier, its old matches are retracted. Under the pairwise
            scheme each peer is asked to mask the new accounts at once, within its daily budget; what a
            budget leaves is asked on the following days by `serve` and `sync`.
            """
    )

    @OptionGroup var options: HomeOption

    @Argument(help: "Accounts file (.csv or .jsonl) with ref,kind,identifier.")
    var file: String

    func run() async throws {
        let context = try NodeContext(home: options.nodeHome)
        let runtime = try NodeRuntime(context: context)
        let client = runtime.makePeerClient()
        let started = Date()
        let registration: WatchService.Registration
        do {
            registration = try await WatchService(context: context, client: client).register(file: file)
        } catch {
            await client.shutdown()
            try? context.audit.flush()
            FileHandle.standardError.write(Data("\(error)\n".utf8))
            throw ExitCode(2)
        }
        await client.shutdown()
        try? context.audit.flush()
        let outcome = registration.registrar
        print("registered \(outcome.registered) accounts (\(outcome.created) new, \(outcome.replaced) replaced, \(outcome.unchanged) unchanged)"
              + "; \(registration.records) current matches went to the outbox"
              + (outcome.retractions > 0 ? "; \(outcome.retractions) old matches retracted" : "")
              + " in \(String(format: "%.2f", Date().timeIntervalSince(started))) s")
        for origin in registration.unreachableOrigins {
            FileHandle.standardError.write(Data("note: \(origin.member) has not covered every watched account yet (\(origin.reason))\n".utf8))
        }
        for stale in registration.staleOrigins {
            FileHandle.standardError.write(Data("warning: stale origin: \(stale)\n".utf8))
        }
    }
}
