import AllianceHTTP
import AlliancePKI
import ExchangeProtocol
import Foundation
import NIOSSL
import X509

/// What a running node shares between its listeners and its sync loop.
package final class NodeRuntime: Sendable {
    package let context: NodeContext
    let feedBuilder: FeedBuilder
    let rateLimiter = RateLimiter()
    let revocations: LiveRevocationList
    let tls: NodeTLS
    /// Each peer's sync rounds in this process (readiness, metrics, per-peer backoff).
    package let syncTracker = PeerSyncTracker()
    /// Whether this process syncs on an interval (`serve` without `--no-sync`): readiness checks peers only then.
    package let syncsOnInterval: Bool

    package init(context: NodeContext, syncsOnInterval: Bool = false) throws(NodeError) {
        self.context = context
        self.syncsOnInterval = syncsOnInterval
        feedBuilder = FeedBuilder(member: context.member, certificateDER: context.keys.certificateDER, store: context.store)
        tls = try NodeTLS(home: context.home)
        revocations = LiveRevocationList(tls.revocationList)
    }

    package func makeSyncRound(client: PeerClient) -> SyncRound {
        SyncRound(context: context, client: client,
                  certificateCheck: OriginCertificateCheck(ca: context.keys.caCertificate, revocations: revocations))
    }

    package func makePeerClient() -> PeerClient { PeerClient(tls: tls.clientConfiguration) }
}
