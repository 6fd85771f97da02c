import ExchangeCrypto
import ExchangeProtocol
import Foundation
import Synchronization

/// Screening for the member: batch files and the real-time API share this service, its index
/// (rebuilt after each sync round that changed entries) and its recording of matches.
final class ScreeningService: Sendable {
    let context: NodeContext
    let policy: MeasuresPolicy
    private let current: Mutex<Screener>

    init(context: NodeContext) throws(NodeError) {
        self.context = context
        policy = try MeasuresPolicy.load(from: context.home)
        current = Mutex(try Self.makeScreener(context: context, policy: policy))
    }

    var screener: Screener { current.withLock { $0 } }

    /// Reloads the index from the store (after a sync round or an import).
    func reload() throws(NodeError) {
        let screener = try Self.makeScreener(context: context, policy: policy)
        current.withLock { $0 = screener }
    }

    static func makeScreener(context: NodeContext, policy: MeasuresPolicy) throws(NodeError) -> Screener {
        let index = try TokenIndex.load(from: context.store, schemes: [context.tokenizer.descriptor])
        return Screener(index: index, tokenizer: context.tokenizer, policy: policy, resolver: EntryResolver(store: context.store))
    }

    func screenFile(
        path: String, day: Day, record: Bool, progress: ProgressBar?,
        emit: (String) throws -> Void, reject: (String) throws -> Void
    ) throws -> BatchScreening.Summary {
        let summary = try BatchScreening(screener: screener, day: day).run(path: path, progress: progress, emit: emit, reject: reject)
        if record { _ = try self.record(summary.matches, screened: summary.rows, day: day) }
        context.audit.append(AuditEvent(actor: AuditEvent.localActor, role: .internal, action: .screenBatch, outcome: .ok,
                                        detail: ["accounts": .count(summary.rows), "matches": .count(summary.matches.count),
                                                 "rejected": .count(summary.rejected)]))
        return summary
    }

    /// Records matches and counters; returns how many matches were new.
    func record(_ matches: [ScreenMatch], screened: Int, day: Day) throws(NodeError) -> Int {
        let now = NodeClock.nowMillis()
        return try context.store.write { db in
            let fresh = try MatchRecorder.record(matches, screened: screened, day: day, at: now, db)
            try Retractions.retractExpired(asOf: NodeClock.today(), at: now, db)
            return fresh
        }
    }
}
