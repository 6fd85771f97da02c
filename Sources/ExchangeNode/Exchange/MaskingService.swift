import ExchangeAudit
import ExchangeCrypto
import ExchangeProtocol
import ExchangeRuntime
import Foundation
import GRDB

/// Serves `POST /v1/mask` for the pairwise scheme: applies our X25519 key to a peer's masked
/// values, within that peer's daily budget (its peers file), recording every request in the audit
/// log and refusing — and recording — what goes beyond the budget. Warns at 80 % of the budget.
struct MaskingService: Sendable {
    let context: NodeContext
    let key: PairwiseMaskingKey

    package enum Outcome: Sendable {
        case masked(epoch: UInt32, values: [Token])
        case overBudget(used: Int, budget: Int)
    }

    func mask(_ values: [Token], for peer: PeerConfig) throws(NodeError) -> Outcome {
        let day = NodeClock.today().description
        let budget = peer.dailyMaskingBudget
        // Reserve the budget first, in one transaction, so concurrent requests cannot overrun it.
        let reserved: (granted: Bool, used: Int) = try context.store.write { db in
            // A key rotated by `keys rotate` after this process started must not answer for the new epoch.
            try PairwiseKeyEpoch.ensureInStep(db, with: key)
            let used = try Int.fetchOne(db, sql: "SELECT used FROM masking_usage WHERE peer = ? AND day = ?",
                                        arguments: [peer.member, day]) ?? 0
            guard used + values.count <= budget else { return (false, used) }
            try db.execute(sql: """
                INSERT INTO masking_usage (peer, day, used) VALUES (?, ?, ?)
                ON CONFLICT (peer, day) DO UPDATE SET used = used + excluded.used
                """, arguments: [peer.member, day, values.count])
            return (true, used + values.count)
        }
        guard reserved.granted else {
            context.audit.append(AuditEvent(actor: peer.member, role: .peer, action: "mask", outcome: .refused,
                                            detail: ["count": .count(values.count), "used": .count(reserved.used),
                                                     "budget": .count(budget), "reason": .code("over-budget")]))
            context.logger.warning("masking request over budget refused",
                                   metadata: ["peer": "\(peer.member)", "count": "\(values.count)", "used": "\(reserved.used)", "budget": "\(budget)"])
            NodeMetrics.shared.masked(peer: peer.member, values: values.count, refused: true)
            return .overBudget(used: reserved.used, budget: budget)
        }
        let masked: [Token]
        do {
            masked = try key.maskInParallel(values, threads: 2)
        } catch {
            throw .protocolViolation("masking request from \(peer.member)", underlying: error)
        }
        context.audit.append(AuditEvent(actor: peer.member, role: .peer, action: "mask", outcome: .ok,
                                        detail: ["count": .count(values.count), "used": .count(reserved.used), "budget": .count(budget)]))
        NodeMetrics.shared.masked(peer: peer.member, values: values.count, refused: false)
        if reserved.used * 5 >= budget * 4, (reserved.used - values.count) * 5 < budget * 4 {
            context.logger.warning("peer is near its daily masking budget",
                                   metadata: ["peer": "\(peer.member)", "used": "\(reserved.used)", "budget": "\(budget)"])
            context.audit.append(AuditEvent(actor: peer.member, role: .peer, action: "mask.budget-alert", outcome: .ok,
                                            detail: ["used": .count(reserved.used), "budget": .count(budget)]))
        }
        return .masked(epoch: key.epoch, values: masked)
    }
}
