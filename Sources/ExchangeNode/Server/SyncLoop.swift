import AlliancePKI
import ExchangeRuntime
import Hummingbird
import Logging
import ServiceLifecycle

/// `serve`'s sync service: one loop per peer node, each running a sync round, refreshing the
/// real-time screening index if any process changed the entries, and sleeping until its next round. Backoff after
/// failures is per peer (``PeerSyncTracker``): a peer that is down waits longer between attempts
/// while the others keep the normal interval.
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
        let peers = node.context.peers.nodes.filter { $0.member != node.context.member }
        await withDiscardingTaskGroup { group in
            for peer in peers {
                group.addTask { await loop(with: peer, client: client) }
            }
        }
        // With no peer there is nothing to loop on, but the service runs until the process stops.
        if !stopping { try? await gracefulShutdown() }
        await client.shutdown()
    }

    private var stopping: Bool { Task.isCancelled || Task.isShuttingDownGracefully }

    private func loop(with peer: PeerConfig, client: PeerClient) async {
        let interval = max(0.5, node.context.config.syncIntervalSeconds)
        let tracker = node.syncTracker
        let recovery = FeedRecovery(node: node, client: client)
        while !stopping {
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
            // Rebuild the real-time index now rather than on the next request, if any process changed the entries.
            do {
                _ = try screening?.freshEngine()
            } catch {
                node.context.logger.error("cannot reload the screening index", metadata: ["error": "\(error)"])
            }
            let delay = tracker.delay(for: peer.member, interval: interval)
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(Int(delay * 1000))) }
        }
    }
}
