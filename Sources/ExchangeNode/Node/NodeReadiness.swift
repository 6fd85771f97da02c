import AllianceHTTP
import ExchangeProtocol
import Foundation

/// What `GET /v1/ready` checks on a running node: the store answers, the keys and certificates are
/// loaded and the node's own certificate is valid, the node is not recovering its feed, and (when it
/// syncs on an interval) every peer node was synced within `readyMaxSyncAgeSeconds`.
struct NodeReadiness {
    let node: NodeRuntime

    func answer(now: Date = Date()) -> ReadinessAnswer {
        var checks = ["store", "keys", "certificate", "feed-recovery"]
        var reasons: [ReadinessAnswer.Reason] = []
        let context = node.context
        var pending = false
        do {
            pending = try FeedRecoveryState.isPending(context.store)
        } catch {
            reasons.append(.init(check: "store", detail: "the store does not answer: \(error.code)"))
        }
        // Keys are loaded when the process starts (it refuses to start without them); what can change is time.
        if context.keys.certificate.notValidAfter <= now {
            reasons.append(.init(check: "certificate", detail: "the node's certificate expired at \(ISO8601.format(seconds: Int64(context.keys.certificate.notValidAfter.timeIntervalSince1970)))"))
        }
        if context.keys.caCertificate.notValidAfter <= now {
            reasons.append(.init(check: "certificate", detail: "the alliance CA certificate expired"))
        }
        if pending {
            reasons.append(.init(check: "feed-recovery", detail: "recovering the node's own feed from its peers after a restore"))
        }
        if node.syncsOnInterval {
            checks.append("peer-sync")
            let limit = context.config.readyMaxSyncAge
            for peer in context.peers.nodes where peer.member != context.member {
                let age = node.syncTracker.syncAge(of: peer.member)
                guard age > limit else { continue }
                let state = node.syncTracker.state(of: peer.member)
                let since = state.lastSuccessMillis == nil ? "no successful sync since the node started" : "last successful sync"
                reasons.append(.init(check: "peer-sync", member: peer.member, detail: "\(since) \(Int(age)) s ago (limit \(Int(limit)) s)"
                                     + (state.failures > 0 ? ", \(state.failures) failed rounds since" : "")))
            }
        }
        return ReadinessAnswer(checks: checks, reasons: reasons)
    }
}
