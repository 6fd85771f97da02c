import AllianceHTTP
import ExchangeRuntime
import Foundation

/// One round of a node (docs/membership.md, 1.2): the membership refresh first (when the node has a
/// coordinator; it installs the revocation list, applies expulsions and moves to the alliance's key
/// epoch), then the feed sync with every peer in good standing, then key maintenance (acquire the keys
/// stored entries need, retire those they no longer need). `serve` runs all three every interval,
/// `sync` the last two, `keys refresh` the first and the last.
package struct NodeRound {
    let node: NodeRuntime
    let client: PeerClient
    package var refreshesMembership = true
    package var syncsFeeds = true
    package var pageSize = FeedBuilder.defaultPageSize
    package var eventsPerTransaction = SyncRound.defaultEventsPerTransaction

    package init(node: NodeRuntime, client: PeerClient) {
        self.node = node
        self.client = client
    }

    package struct Outcome: Sendable {
        package var membership: MembershipRefresh.Outcome?
        /// Why the coordinator's membership could not be fetched or applied (the round went on).
        package var membershipError: String?
        package var peers: [SyncRound.PeerResult] = []
        package var keys: TokenKeyMaintenance.Outcome?
        package var keysError: String?

        /// Whether any part failed (the loop backs off).
        package var failed: Bool { membershipError != nil || keysError != nil || peers.contains { $0.error != nil } }
    }

    package func run() async -> Outcome {
        let context = node.context
        var outcome = Outcome()
        let coordinator = CounterReporter.coordinatorURL(of: context).map { CoordinatorLink(url: $0, client: client) }
        context.livePeers.refresh(force: true)
        if refreshesMembership, let coordinator {
            do {
                outcome.membership = try await MembershipRefresh(context: context, coordinator: coordinator, revocations: node.revocations).run()
                NodeMetrics.shared.membershipRefreshed(failed: false)
            } catch {
                outcome.membershipError = error.description
                NodeMetrics.shared.membershipRefreshed(failed: true)
                context.logger.warning("cannot refresh the membership from the coordinator", metadata: ["error": "\(error.description)"])
            }
        }
        if syncsFeeds {
            var round = node.makeSyncRound(client: client)
            round.pageSize = pageSize
            round.eventsPerTransaction = eventsPerTransaction
            outcome.peers = await round.run()
        }
        do {
            outcome.keys = try await TokenKeyMaintenance(context: context, coordinator: coordinator).run()
        } catch {
            outcome.keysError = error.description
            context.logger.error("token key maintenance failed", metadata: ["error": "\(error.description)"])
        }
        return outcome
    }
}
