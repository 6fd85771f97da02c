import ArgumentParser

/// `exchange-node sync --home HOME`: one sync round with every peer, now.
struct SyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sync",
        abstract: "Pull every peer's feed since our cursor (one round), verify it and apply it."
    )

    @OptionGroup var options: HomeOption

    func run() async throws {
        let runtime = try NodeRuntime(context: NodeContext(home: options.nodeHome))
        let client = runtime.makePeerClient()
        let results = await runtime.makeSyncRound(client: client).run()
        await client.shutdown()
        try? runtime.context.audit.flush()
        var failed = false
        for result in results {
            if let error = result.error {
                failed = true
                print("\(result.member)\tFAILED\t\(error)")
            } else {
                print("\(result.member)\tok\t\(result.applied) applied, \(result.revoked) revoked, \(result.retractions) retractions, \(result.pages) page(s)\(result.repaired ? ", repaired after digest mismatch" : "")")
            }
        }
        if failed { throw ExitCode(3) }
    }
}
