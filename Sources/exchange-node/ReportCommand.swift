import ArgumentParser
import ExchangeNode
import ExchangeProtocol

/// `exchange-node report --home HOME`: sends the node's daily counters to the coordinator.
struct ReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Send the daily counters not yet acknowledged to the coordinator (signed, over mTLS).",
        discussion: """
            The coordinator is node.json's coordinatorURL, else the peers file with role coordinator. Each day is
            signed with the node key; a day the coordinator already holds unchanged is skipped, so running this
            after an outage catches up. `serve` does the same every sync interval. Also installs the coordinator's
            revocation list when it is newer than the node's.
            """
    )

    @OptionGroup var options: HomeOption

    @Option(name: .long, help: "Re-send every day from this one on (YYYY-MM-DD), acknowledged or not.")
    var since: String?

    @Option(name: .long, help: "The coordinator's URL (overrides the configuration).")
    var coordinator: String?

    func run() async throws {
        var sinceDay: Day?
        if let since {
            guard let day = Day(parsing: since) else { throw ValidationError("--since must be YYYY-MM-DD") }
            sinceDay = day
        }
        let runtime = try NodeRuntime(context: NodeContext(home: options.nodeHome))
        let context = runtime.context
        guard let url = coordinator ?? CounterReporter.coordinatorURL(of: context) else {
            throw ValidationError("this node has no coordinator: set coordinatorURL (init --coordinator) or add a peer with --role coordinator")
        }
        let client = runtime.makePeerClient()
        defer { try? context.audit.flush() }
        do {
            if let revoked = try await RevocationListPull(context: context, coordinatorURL: url, client: client).run() {
                print("installed the coordinator's newer revocation list (\(revoked) revoked certificate(s))")
            }
            let outcome = try await CounterReporter(context: context, coordinatorURL: url, client: client)
                .run(since: sinceDay, resend: sinceDay != nil)
            await client.shutdown()
            print("sent \(outcome.sent.count) day(s)\(outcome.sent.isEmpty ? "" : " (" + outcome.sent.joined(separator: ", ") + ")"), "
                  + "\(outcome.unchanged) unchanged, \(outcome.leftOut) counter(s) outside the vocabulary left out")
            for refusal in outcome.refused { print("  \(refusal.day) REFUSED: \(refusal.reason)") }
            if !outcome.refused.isEmpty { throw ExitCode(3) }
        } catch let error as NodeError {
            await client.shutdown()
            throw error
        }
    }
}
