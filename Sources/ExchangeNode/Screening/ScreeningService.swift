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
        let version = try context.store.read { db in try EntriesVersion.current(db) }
        guard current.withLock({ $0.version }) < version else { return engine }
        try reloading.withLock { _ throws(NodeError) in
            // Another request may have rebuilt it while this one waited.
            if current.withLock({ $0.version }) < version { try reload() }
        }
        return engine
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
            let descriptor = context.tokenizer.descriptor
            let index = try TokenIndex.load(from: context.store, scheme: .keyedHash, epoch: descriptor.epoch)
            return .keyed(Screener(index: index, tokenizer: context.tokenizer, policy: policy, resolver: resolver))
        case .ecdhX25519:
            guard let key = context.keys.pairwiseKey else {
                throw .configuration("the alliance uses ecdh-x25519 but \(context.home.ecdhKeyFile.path) is missing")
            }
            guard let client else { throw .configuration("pairwise screening needs a peer client") }
            // After `keys rotate` in another process, this process's key no longer matches the store's tokens.
            try context.store.read { db in try PairwiseKeyEpoch.ensureInStep(db, with: key) }
            let index = try TokenIndex.load(from: context.store, scheme: .ecdhX25519, epoch: nil)
            let originEpochs = try PairwiseOriginEpochs.load(from: context.store, excluding: context.member)
            return .pairwise(PairwiseScreener(member: context.member, index: index, key: key, policy: policy, resolver: resolver,
                                              peers: context.peers.nodes, client: client, originEpochs: originEpochs,
                                              logger: context.logger))
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
            try context.store.write { db in try Retractions.retractExpired(asOf: NodeClock.today(), at: now, db) }
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
