import AlliancePKI
import ExchangeRuntime
import Hummingbird
import Logging
import ServiceLifecycle
import Synchronization

/// `serve`'s sync service: a membership loop and one feed loop per peer node.
///
/// - The membership loop runs every interval: it starts a feed loop for every peer node that has none
///   yet (at start, after `peers add` or an admission, so a new member is picked up without a
///   restart), then refreshes the coordinator's membership (revocation list, expulsions, the
///   alliance's key epoch) and does key maintenance (``NodeRound`` without feeds). A coordinator that
///   is slow to answer therefore never delays the feeds.
/// - Each feed loop runs a sync round with its peer, refreshes the real-time screening index if any
///   process changed the entries, and sleeps until its next round. A loop whose peer left the
///   directory (removed, or expelled by the coordinator) ends before its next round. Backoff after
///   failures is per peer (``PeerSyncTracker``): a peer that is down waits longer between attempts
///   while the others keep the normal interval.
///
/// Stopping: every round and every sleep runs under `cancelWhenGracefulShutdown`, so a graceful
/// shutdown cancels them at once; a store transaction in progress commits or, if it is a long feed
/// apply, rolls back (``FeedApplier``). A node restored from a backup first takes its own feed back
/// from each peer (``FeedRecovery``) before that peer's ordinary rounds.
package struct SyncLoop: Service {
    let node: NodeRuntime
    let screening: ScreeningService?

    package init(node: NodeRuntime, screening: ScreeningService?) {
        self.node = node
        self.screening = screening
    }

    package func run() async throws {
        let client = node.makePeerClient()
        let running = RunningPeers()
        await withDiscardingTaskGroup { group in
            let interval = max(0.5, node.context.config.syncIntervalSeconds)
            var failures = 0
            while !stopping {
                // Every peer node without a loop gets one: at start (members expelled earlier are already
                // left out by the store), and later each peer `peers add` added or the coordinator re-admitted.
                for peer in node.context.peers.nodes where peer.member != node.context.member {
                    guard running.start(peer.member) else { continue }
                    let member = peer.member
                    group.addTask {
                        await loop(with: member, client: client)
                        running.stop(member)
                    }
                }
                let outcome = await cancelWhenGracefulShutdown { () async -> NodeRound.Outcome in
                    var round = NodeRound(node: node, client: client)
                    round.syncsFeeds = false
                    return await round.run()
                }
                guard !stopping else { break }
                refreshScreeningIndex()
                failures = outcome.failed ? min(failures + 1, PeerSyncTracker.maximumDoublings) : 0
                // Never slower than a feed loop (whose jitter only shortens its wait to ×0.8): an expulsion is
                // applied before any peer has started more than one round since the coordinator published it.
                let delay = failures == 0
                    ? interval * 0.8
                    : min(interval * Double(1 << failures), max(interval, PeerSyncTracker.maximumDelay)) * Double.random(in: 0.8...1.0)
                try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(Int(delay * 1000))) }
            }
        }
        await client.shutdown()
    }

    private var stopping: Bool { Task.isCancelled || Task.isShuttingDownGracefully }

    /// The peer as the directory has it now; nil once it was removed or expelled.
    private func currentPeer(_ member: String) -> PeerConfig? {
        node.context.peers.nodes.first { $0.member == member }
    }

    private func loop(with member: String, client: PeerClient) async {
        let interval = max(0.5, node.context.config.syncIntervalSeconds)
        let tracker = node.syncTracker
        let recovery = FeedRecovery(node: node, client: client)
        while !stopping, let peer = currentPeer(member) {
            let round = await cancelWhenGracefulShutdown { () async -> SyncRound.PeerResult? in
                do throws(NodeError) {
                    try await recovery.recoverIfNeeded(from: peer)
                } catch {
                    if Task.isCancelled { return nil }
                    node.context.logger.warning("feed recovery: peer did not answer",
                                                metadata: ["peer": "\(peer.member)", "error": "\(error)"])
                    return SyncRound.PeerResult(member: peer.member, error: error.description, errorCode: error.code.description)
                }
                return await node.makeSyncRound(client: client).run(peers: [peer]).first
            }
            guard !stopping, let round, !round.cancelled else { break }
            tracker.record(peer: peer.member, succeeded: round.error == nil, failure: round.errorCode)
            refreshScreeningIndex()
            let delay = tracker.delay(for: peer.member, interval: interval)
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(Int(delay * 1000))) }
        }
    }

    /// Rebuilds the real-time index now rather than on the next request, if any process changed the entries.
    private func refreshScreeningIndex() {
        do {
            _ = try screening?.freshEngine()
        } catch {
            node.context.logger.error("cannot reload the screening index", metadata: ["error": "\(error)"])
        }
    }
}

/// The peers whose feed loop runs, so that the membership loop starts one per peer.
private final class RunningPeers: Sendable {
    private let members = Mutex<Set<String>>([])

    /// True when `member` had no loop (the caller starts one).
    func start(_ member: String) -> Bool { members.withLock { $0.insert(member).inserted } }

    func stop(_ member: String) { members.withLock { _ = $0.remove(member) } }
}
