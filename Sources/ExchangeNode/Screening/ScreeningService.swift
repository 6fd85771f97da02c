import ExchangeAudit
import ExchangeCrypto
import ExchangeProtocol
import ExchangeRuntime
import Foundation
import Synchronization

/// Screening for the member: batch files and the real-time API share this service, its index
/// (rebuilt after each sync round that changed entries) and its recording of matches.
package final class ScreeningService: Sendable {
    let context: NodeContext
    let policy: MeasuresPolicy
    /// Calls peers' masking endpoint under the pairwise scheme.
    let client: PeerClient?
    private let current: Mutex<(engine: ScreeningEngine, version: Int64)>
    /// Held while the index is rebuilt: concurrent requests that find it out of date wait for the
    /// one rebuild instead of each loading the index again.
    private let reloading = Mutex(())

    /// `client` is required when the alliance uses the pairwise scheme.
    package init(context: NodeContext, client: PeerClient? = nil) throws(NodeError) {
        self.context = context
        self.client = client
        policy = try MeasuresPolicy.load(from: context.home)
        let version = try context.store.read { db in try EntriesVersion.current(db) }
        current = Mutex((try Self.makeEngine(context: context, policy: policy, client: client), version))
    }

    /// The engine as loaded (batch screening in one process uses this).
    package var engine: ScreeningEngine { current.withLock { $0.engine } }

    /// The engine's index and the entries version it was built at (watch registrations reuse it).
    var indexAndVersion: (index: TokenIndex, version: Int64) { current.withLock { ($0.engine.index, $0.version) } }

    /// The engine, reloaded first if any process changed the entries since it was built
    /// (one small read per call; the real-time API uses this).
    func freshEngine() throws(NodeError) -> ScreeningEngine {
        try freshEngine(version: try context.store.read { db in try EntriesVersion.current(db) })
    }

    /// The engine, rebuilt first if it is older than entries version `version` (read by the caller).
    private func freshEngine(version: Int64) throws(NodeError) -> ScreeningEngine {
        guard current.withLock({ $0.version }) < version else { return engine }
        try reloading.withLock { _ throws(NodeError) in
            // Another request may have rebuilt it while this one waited.
            if current.withLock({ $0.version }) < version { try reload() }
        }
        return engine
    }

    /// Real-time screening on the freshest engine. A request whose engine was built before a change
    /// that committed while it screened (a token-key changeover or pairwise rotation in any process:
    /// the engine's candidates were then confirmed against rows that had moved on) is screened again on
    /// the rebuilt engine, at most twice. Under the keyed-hash scheme any change of the entries counts
    /// (screening is local); under the pairwise scheme only a rotation of our key does, so peers are not
    /// asked to mask twice for an unrelated sync page.
    func screenFresh(_ accounts: [Screener.Account], on day: Day) async throws(NodeError) -> ScreeningOutcome {
        var attempt = 0
        while true {
            // One read gives both the state to compare with afterwards and the version the engine must have.
            let before = try keyState()
            let outcome = try await freshEngine(version: before.entriesVersion).screenReporting(accounts, on: day)
            attempt += 1
            if attempt == 3 { return outcome }
            let after = try keyState()
            if after == before { return outcome }
            if context.config.scheme == .ecdhX25519, after.pairwiseEpoch == before.pairwiseEpoch { return outcome }
        }
    }

    private struct KeyState: Equatable {
        let entriesVersion: Int64
        let pairwiseEpoch: UInt32?
    }

    private func keyState() throws(NodeError) -> KeyState {
        try context.store.read { db in KeyState(entriesVersion: try EntriesVersion.current(db), pairwiseEpoch: try PairwiseKeyEpoch.get(db)) }
    }

    /// Reloads the index from the store.
    func reload() throws(NodeError) {
        let version = try context.store.read { db in try EntriesVersion.current(db) }
        let engine = try Self.makeEngine(context: context, policy: policy, client: client)
        current.withLock { $0 = (engine, version) }
    }

    static func makeEngine(context: NodeContext, policy: MeasuresPolicy, client: PeerClient?) throws(NodeError) -> ScreeningEngine {
        let resolver = EntryResolver(store: context.store)
        switch context.config.scheme {
        case .keyedHash:
            // Every epoch in use, as the key files and the store say now (a changeover may have run in another process).
            let index = try TokenIndex.load(from: context.store, scheme: .keyedHash, epoch: nil)
            let coverage = try KeyedEpochCoverage.make(for: index, home: context.home, member: context.member)
            for stale in coverage.staleOrigins {
                context.logger.warning("origin has entries under a token key epoch this node cannot screen: its matches may be missing",
                                       metadata: ["origin": "\(stale.member)", "epochs": "\(stale.storedEpochs.map(String.init).joined(separator: ","))"])
            }
            return .keyed(Screener(index: index, tokenizers: coverage.tokenizers, staleOrigins: coverage.staleOrigins,
                                   policy: policy, resolver: resolver))
        case .ecdhX25519:
            guard context.keys.pairwiseKey != nil else {
                throw .configuration("the alliance uses ecdh-x25519 but \(context.home.ecdhKeyFile.path) is missing")
            }
            guard let client else { throw .configuration("pairwise screening needs a peer client") }
            // The key the store is in step with: after `keys rotate` (any process) the new one, at once.
            let key: PairwiseMaskingKey
            do {
                key = try context.store.read { db in try context.pairwise.current(db) }
            } catch {
                throw .configuration("the pairwise key file and the store are out of step", underlying: error)
            }
            let index = try TokenIndex.load(from: context.store, scheme: .ecdhX25519, epoch: nil)
            let originEpochs = try PairwiseOriginEpochs.load(from: context.store, excluding: context.member)
            var screener = PairwiseScreener(member: context.member, index: index, key: key, policy: policy, resolver: resolver,
                                            peers: context.peers.nodes, client: client, originEpochs: originEpochs,
                                            logger: context.logger)
            let expelled = context.livePeers.expelled
            screener.expelledWithEntries = originEpochs.epochs.keys.filter { expelled.contains($0) }.sorted()
            return .pairwise(screener)
        }
    }

    package func screenFile(
        path: String, day: Day, record: Bool, progress: ProgressBar?,
        emit: (String) throws -> Void, reject: (String) throws -> Void
    ) async throws -> BatchScreening.Summary {
        let summary = try await BatchScreening(engine: engine, day: day).run(path: path, progress: progress, emit: emit, reject: reject)
        if record {
            _ = try self.record(summary.matches, screened: summary.rows, day: day)
            // A batch is a natural moment to retract matches whose entries expired (serve also does it each sync round).
            let now = NodeClock.nowMillis()
            _ = try context.store.write { db in try Retractions.retractExpired(asOf: NodeClock.today(), at: now, db) }
            // ...and for the watch's day change (listings whose day has come), if it was not done yet today.
            let arrival = WatchArrival(keys: WatchKeys(context: context), policy: { [policy] in policy })
            _ = try context.store.write { db in try WatchDayChange.run(arrival, day: NodeClock.today(), at: now, db) }
        }
        var detail: [String: AuditValue] = ["accounts": .count(summary.rows), "matches": .count(summary.matches.count),
                                            "rejected": .count(summary.rejected)]
        if !summary.staleOrigins.isEmpty { detail["stale_origins"] = .count(summary.staleOrigins.count) }
        if !summary.unreachableOrigins.isEmpty { detail["unreachable_origins"] = .count(summary.unreachableOrigins.count) }
        context.audit.append(AuditEvent(actor: AuditEvent.localActor, role: .internal, action: .screenBatch, outcome: .ok,
                                        detail: detail))
        return summary
    }

    /// Records matches and counters; returns how many matches were new.
    func record(_ matches: [ScreenMatch], screened: Int, day: Day) throws(NodeError) -> Int {
        let now = NodeClock.nowMillis()
        return try context.store.write { db in
            try MatchRecorder.record(matches, screened: screened, day: day, at: now, db)
        }
    }
}
