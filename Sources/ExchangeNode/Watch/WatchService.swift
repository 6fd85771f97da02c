import ExchangeAudit
import ExchangeCrypto
import ExchangeProtocol
import Foundation

/// The watch for the member's systems: the commands (`watch add|remove|status`) and the internal
/// API (`/v1/watch`) go through here. A registration is one transaction; under the pairwise
/// scheme a coverage step follows at once, so peers' current matches come with it.
package struct WatchService: Sendable {
    let context: NodeContext
    let policy: MeasuresPolicy
    /// The running process's screening index, when there is one (`serve`).
    let cachedIndex: @Sendable () -> (index: TokenIndex, version: Int64)?
    /// Calls peers' masking endpoint (pairwise scheme).
    let client: PeerClient?

    package init(context: NodeContext, client: PeerClient?, screening: ScreeningService? = nil) throws(NodeError) {
        self.context = context
        policy = try MeasuresPolicy.load(from: context.home)
        cachedIndex = { screening?.indexAndVersion }
        self.client = client
    }

    /// The keys as they are now, read for each operation: `serve` keeps one service for its whole life,
    /// and a token-key changeover or a pairwise rotation (in it or beside it) must not leave it
    /// registering under the old epoch, which the registration's transaction refuses.
    var keys: WatchKeys { WatchKeys(context: context) }

    package struct Registration: Sendable {
        package var registrar = WatchRegistrar.Outcome()
        var coverage: WatchCoverage.Outcome?
        /// The registered accounts' current matches (request registrations only; files report counts).
        package var matches: [ScreenMatch] = []
        /// Match records that went to the outbox (registration and the coverage step after it).
        package var records = 0
        package var staleOrigins: [StaleOrigin] = []
        package var unreachableOrigins: [UnreachableOrigin] = []
    }

    package var registrar: WatchRegistrar {
        let keys = keys
        return WatchRegistrar(store: context.store, keys: keys, policy: policy, entryIndex: WatchEntryIndex(keys: keys, cached: cachedIndex))
    }

    package func register(file path: String) async throws(NodeError) -> Registration {
        let outcome: WatchRegistrar.Outcome
        do {
            outcome = try registrar.register(file: path)
        } catch {
            audit("watch.add", outcome: .refused, [:])
            throw error
        }
        return await finish(outcome, refs: nil)
    }

    package func register(_ accounts: [Screener.Account]) async throws(NodeError) -> Registration {
        let outcome = try registrar.register(accounts)
        return await finish(outcome, refs: Set(accounts.map(\.ref)))
    }

    /// Audits the registration and, under the pairwise scheme, runs a coverage step for it.
    private func finish(_ outcome: WatchRegistrar.Outcome, refs: Set<String>?) async -> Registration {
        var registration = Registration(registrar: outcome, matches: refs == nil ? [] : outcome.matches, records: outcome.records)
        audit("watch.add", outcome: .ok, ["accounts": .count(outcome.registered), "created": .count(outcome.created),
                                          "replaced": .count(outcome.replaced), "matches": .count(outcome.records),
                                          "retractions": .count(outcome.retractions)])
        NodeMetrics.shared.watchRegistered(outcome.created + outcome.replaced)
        if keys.scheme == .ecdhX25519, let client {
            do {
                let step = try WatchCoverage(context: context, client: client)
                let coverage = await WatchCoverageGate.shared.run { await step.run() }
                registration.coverage = coverage
                registration.records += coverage.records
                if let refs { registration.matches += coverage.matches.filter { refs.contains($0.ref) } }
                try describeOrigins(coverage, into: &registration)
            } catch {
                context.logger.error("watch coverage after a registration failed", metadata: ["error": "\(error)"])
            }
        }
        return registration
    }

    /// Peers that have not covered every watched account (down, over budget) and peers whose
    /// answers are of another key epoch than our copy of their entries.
    private func describeOrigins(_ coverage: WatchCoverage.Outcome, into registration: inout Registration) throws(NodeError) {
        let seal = keys.seal
        let (highest, domains) = try context.store.read { db in
            (try WatchAccounts(db, seal: seal).highest(), try WatchDomains.current(db))
        }
        let epochs = try PairwiseOriginEpochs.load(from: context.store, excluding: context.member)
        for report in coverage.peers.values.sorted(by: { $0.member < $1.member }) {
            if (domains[report.member]?.coveredThrough ?? 0) < highest {
                let reason = report.overBudget ? "daily masking budget used: coverage continues tomorrow"
                    : report.error ?? "coverage not finished"
                registration.unreachableOrigins.append(UnreachableOrigin(member: report.member, reason: reason))
            }
            if let epoch = report.answeredEpoch, let stale = epochs.staleness(of: report.member, answeredEpoch: epoch) {
                registration.staleOrigins.append(stale)
            }
        }
    }

    package func remove(file path: String) throws(NodeError) -> WatchRemoval.Outcome {
        try audited(try WatchRemoval(store: context.store, seal: IdentifierSeal(key: context.keys.sealKey)).remove(file: path))
    }

    package func remove(_ refs: [String]) throws(NodeError) -> WatchRemoval.Outcome {
        try audited(try WatchRemoval(store: context.store, seal: IdentifierSeal(key: context.keys.sealKey)).remove(refs))
    }

    private func audited(_ body: @autoclosure () throws(NodeError) -> WatchRemoval.Outcome) throws(NodeError) -> WatchRemoval.Outcome {
        do {
            let outcome = try body()
            audit("watch.remove", outcome: .ok, ["removed": .count(outcome.removed), "not_watched": .count(outcome.notWatched)])
            return outcome
        } catch {
            audit("watch.remove", outcome: .refused, [:])
            throw error
        }
    }

    package func status() throws(NodeError) -> WatchStatus { try WatchStatus.collect(context) }

    private func audit(_ action: AuditAction, outcome: AuditOutcome, _ detail: [String: AuditValue]) {
        context.audit.append(AuditEvent(actor: AuditEvent.localActor, role: .internal, action: action, outcome: outcome, detail: detail))
    }
}
