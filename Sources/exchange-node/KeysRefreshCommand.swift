import ArgumentParser
import ExchangeNode
import Foundation

/// `exchange-node keys refresh --home HOME`: what a `serve` round does with the coordinator, once.
struct KeysRefreshCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "refresh",
        abstract: "Fetch the coordinator's membership once: move to its key epoch, apply expulsions, acquire and retire epochs.",
        discussion: """
            What `serve` does at the start of every sync round, for a node that does not run `serve`: installs \
            the coordinator's revocation list, applies the members it expelled (their entries kept or withdrawn \
            with retractions, as the alliance decided), and under the keyed-hash scheme moves this node's own \
            entries to the alliance's current token key epoch (new signed versions, from their sealed \
            identifiers, in one transaction). Then it fetches the keys of epochs stored entries use and retires \
            the epochs no entry needs any more (key and tokens deleted). Exit status 1 when the coordinator \
            could not be reached or this node could not move.
            """
    )

    @OptionGroup var options: HomeOption

    func run() async throws {
        let runtime = try NodeRuntime(context: NodeContext(home: options.nodeHome))
        guard CounterReporter.coordinatorURL(of: runtime.context) != nil else {
            throw ValidationError("this node has no coordinator: set coordinatorURL (init --coordinator) or add a peer with --role coordinator")
        }
        let client = runtime.makePeerClient()
        var round = NodeRound(node: runtime, client: client)
        round.syncsFeeds = false
        let outcome = await round.run()
        await client.shutdown()
        try? runtime.context.audit.flush()
        var failed = false
        if let error = outcome.membershipError {
            failed = true
            print("membership\tFAILED\t\(error)")
        }
        if let membership = outcome.membership {
            for line in Self.lines(membership) { print(line) }
            if membership.changeoverRefused != nil { failed = true }
        }
        for line in Self.lines(outcome.keys) { print(line) }
        if let error = outcome.keysError {
            failed = true
            print("token keys\tFAILED\t\(error)")
        }
        if failed { throw ExitCode(1) }
    }

    /// What a membership refresh did, one line per fact.
    static func lines(_ outcome: MembershipRefresh.Outcome) -> [String] {
        var lines: [String] = []
        let membership = outcome.membership
        lines.append("membership\tok\t\(membership.members.count) member(s), alliance token key epoch "
                     + (membership.currentTokenKeyEpoch.map(String.init) ?? "-")
                     + (membership.changeover.map { ", changeover until \($0.deadline)" } ?? ""))
        if let revoked = outcome.revocationsInstalled {
            lines.append("revocations\tinstalled\t\(revoked) revoked certificate(s)")
        }
        for row in outcome.expelled {
            lines.append("expelled\t\(row.member)\tentries \(row.entries.rawValue): \(row.withdrawn) withdrawn, \(row.retractions) retraction(s)")
        }
        for member in outcome.readmitted { lines.append("readmitted\t\(member)") }
        if let moved = outcome.changeover {
            lines.append("""
                moved\tepoch \(moved.fromEpoch) -> \(moved.toEpoch)\t\(moved.ownEntries) own entries re-issued as events \
                #\(moved.firstSeq)-#\(moved.lastSeq), \(moved.watched) watched account(s); transaction \(moved.transactionMillis) ms
                """)
        }
        if let refused = outcome.changeoverRefused { lines.append("moved\tREFUSED\t\(refused)") }
        return lines
    }

    /// What key maintenance did, one line per fact.
    static func lines(_ outcome: TokenKeyMaintenance.Outcome?) -> [String] {
        guard let outcome else { return [] }
        var lines = outcome.acquired.map { "token key\tacquired\tepoch \($0)" }
        lines += outcome.missing.map { "token key\tMISSING\tepoch \($0): entries under it cannot be screened (stale origins)" }
        for retired in outcome.retired {
            lines.append("token key\tretired\tepoch \(retired.epoch): key and tokens deleted"
                         + (retired.strippedEntries > 0
                            ? "; \(retired.strippedEntries) entries kept without tokens, stale origins \(retired.staleOrigins.joined(separator: ", "))"
                            : ""))
        }
        if !outcome.walTruncated { lines.append("token key\tnote\tthe write-ahead log is truncated on a later round (a reader holds it)") }
        return lines
    }
}
