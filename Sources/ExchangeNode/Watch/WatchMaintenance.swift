import ExchangeProtocol
import ExchangeRuntime
import Foundation
import GRDB

/// What the watch does at the end of every sync round (`serve`'s loop, `sync`): the day change
/// (listings that start, matches that expire; compaction once a day), the keyed-hash domain's
/// epoch check, and under the pairwise scheme a coverage step.
struct WatchMaintenance: Sendable {
    let context: NodeContext
    let client: PeerClient
    /// Coverage chunks asked of each peer per round, so a large base does not delay the next round.
    var coverageChunksPerPeer: Int? = 5

    struct Outcome: Sendable {
        var day = WatchDayChange.Outcome()
        var compacted: Int?
        var coverage: WatchCoverage.Outcome?
    }

    func afterRound() async -> Outcome {
        var outcome = Outcome()
        let keys = WatchKeys(context: context)
        do {
            let home = context.home
            let arrival = WatchArrival(keys: keys, policy: { try MeasuresPolicy.load(from: home) })
            let day = NodeClock.today()
            let millis = NodeClock.nowMillis()
            outcome.day = try context.store.write { db in try WatchDayChange.run(arrival, day: day, at: millis, db) }
            if outcome.day.processed {
                outcome.compacted = try context.store.write { db in try WatchCompaction.runIfNeeded(db) }
            }
            if keys.scheme == .keyedHash {
                let stale = try context.store.read { db -> Bool in
                    guard try WatchState.isWatching(db), let domain = try WatchDomains.current(origin: keys.ownOrigin, db) else {
                        return false
                    }
                    return domain.epoch != (try keys.ownEpoch())
                }
                if stale {
                    _ = try context.store.write { db in try WatchOwnDomain.ensure(db, keys: keys, at: millis, policy: arrival.policy) }
                }
            }
        } catch {
            context.logger.error("watch maintenance failed", metadata: ["error": "\(error)"])
        }
        if outcome.day.matches + outcome.day.retractions > 0 {
            context.logger.info("watch: day change", metadata: [
                "listings": "\(outcome.day.listings)", "matches": "\(outcome.day.matches)", "retractions": "\(outcome.day.retractions)"])
        }
        if keys.scheme == .ecdhX25519 {
            do {
                let coverage = try WatchCoverage(context: context, client: client, maxChunksPerPeer: coverageChunksPerPeer)
                outcome.coverage = await WatchCoverageGate.shared.runIfIdle { await coverage.run() }
            } catch {
                context.logger.error("watch coverage cannot start", metadata: ["error": "\(error)"])
            }
        }
        return outcome
    }
}
