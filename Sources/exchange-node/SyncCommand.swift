import ArgumentParser
import ExchangeNode

/// `exchange-node sync --home HOME`: one sync round with every peer, now.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Pull every peer's feed since our cursor (one round), verify it and apply it."
    )

    @OptionGroup var options: HomeOption

    @Option(name: .long, help: "Events per feed page requested from each peer (at most \(FeedBuilder.maxPageSize)).")
    var pageSize: Int = FeedBuilder.defaultPageSize

    @Option(name: .long, help: "Verified events applied per store transaction when catching up on a long feed.")
    var eventsPerTransaction: Int = SyncRound.defaultEventsPerTransaction

    func validate() throws {
        guard pageSize > 0, eventsPerTransaction > 0 else {
            throw ValidationError("--page-size and --events-per-transaction must be positive")
        }
    }

    func run() async throws {
        let runtime = try NodeRuntime(context: NodeContext(home: options.nodeHome))
        let client = runtime.makePeerClient()
        // A restored node first takes its own feed back from each peer not yet asked (nothing else needs it).
        var failed = false
        for (member, result) in await FeedRecovery(node: runtime, client: client).recoverFromEveryPeer() {
            switch result {
            case .success(nil): break
            case .success(let outcome?):
                print("\(member)\trecovered\t\(outcome.recovered) own events (held through #\(outcome.heldThrough))")
            case .failure(let error):
                failed = true
                print("\(member)\tRECOVERY FAILED\t\(error)")
            }
        }
        var round = NodeRound(node: runtime, client: client)
        round.refreshesMembership = false
        round.pageSize = min(pageSize, FeedBuilder.maxPageSize)
        round.eventsPerTransaction = eventsPerTransaction
        let outcome = await round.run()
        await client.shutdown()
        try? runtime.context.audit.flush()
        for result in outcome.peers {
            if let error = result.error {
                failed = true
                print("\(result.member)\tFAILED\t\(error)")
            } else {
                print("\(result.member)\tok\t\(result.applied) applied, \(result.revoked) revoked, \(result.retractions) retractions, \(result.pages) page(s)\(result.watchMatches > 0 ? ", \(result.watchMatches) watch matches" : "")\(result.repaired ? ", repaired after digest mismatch" : "")")
            }
        }
        for line in KeysRefreshCommand.lines(outcome.keys) { print(line) }
        if let error = outcome.keysError {
            failed = true
            print("token keys\tFAILED\t\(error)")
        }
        if failed { throw ExitCode(3) }
    }
}
