import ExchangeAudit
import ExchangeRuntime
import Foundation

/// Deletes the token keys of epochs whose changeover deadline has passed (docs/membership.md, 1.1):
/// each `epoch-N.json` is overwritten with zeros, synced and unlinked, and audited `token-key.retire`.
/// Run on every request that reads the key ring, every 15 s in `coordinator serve`, and by every
/// coordinator command that opens the home.
struct TokenKeyRetirement {
    let coordinator: CoordinatorContext

    /// The epochs retired now.
    @discardableResult
    func run(now: Int64 = NodeClock.nowMillis()) throws(CoordinatorError) -> [UInt32] {
        let ring = try TokenKeyRing.load(from: coordinator.home)
        guard let current = ring.current?.epoch else { return [] }
        let changeovers = try TokenChangeovers.load(from: coordinator.home)
        var retired: [UInt32] = []
        for key in ring.keys where key.epoch < current {
            guard let deadline = changeovers.deadline(of: key.epoch), deadline <= now else { continue }
            TokenKeyRing.retire(epoch: key.epoch, in: coordinator.home)
            coordinator.audit.append(AuditEvent(actor: AuditEvent.localActor, role: .local, action: "token-key.retire",
                                                outcome: .ok, detail: ["epoch": .count(Int(key.epoch))]))
            coordinator.logger.notice("token key epoch retired after its changeover deadline", metadata: ["epoch": "\(key.epoch)"])
            retired.append(key.epoch)
        }
        return retired
    }
}
