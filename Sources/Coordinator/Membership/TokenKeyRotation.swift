import AlliancePKI
import ExchangeAudit
import ExchangeCrypto
import ExchangeRuntime
import Foundation

/// Starts a keyed-hash changeover (docs/membership.md, 1.1): creates the next epoch's key, records the
/// changeover and its deadline in `changeovers.json`, and, when the coordinator works beside the CA
/// folder, makes the new key that folder's `token-key.json` (members `init`ed from it start at the
/// current epoch). Used by `coordinator token-key rotate` and `coordinator member remove`.
package struct TokenKeyRotation {
    let coordinator: CoordinatorContext

    package init(coordinator: CoordinatorContext) { self.coordinator = coordinator }

    package struct Outcome: Sendable {
        package let key: AllianceTokenKey
        package let deadline: Int64
        /// False when the CA folder is not configured (its token-key.json was left as it was).
        package let caFolderUpdated: Bool
    }

    package func rotate(deadline: Int64, reason: String, member: String? = nil, now: Int64 = NodeClock.nowMillis()) throws(CoordinatorError) -> Outcome {
        let key = try TokenKeyRing.rotate(in: coordinator.home, now: Date(timeIntervalSince1970: Double(now) / 1000))
        var changeovers = try TokenChangeovers.load(from: coordinator.home)
        changeovers.start(toEpoch: key.epoch, started: now, deadline: deadline, reason: reason, member: member)
        try changeovers.save(to: coordinator.home)
        var caFolderUpdated = false
        if let caDirectory = coordinator.config.caDirectory {
            do {
                try TokenKeyFile.write(key, to: URL(fileURLWithPath: AllianceDirectory(caDirectory).tokenKeyPath))
            } catch {
                throw CoordinatorError(error)
            }
            caFolderUpdated = true
        }
        coordinator.audit.append(AuditEvent(actor: AuditEvent.localActor, role: .operator, action: "token-key.rotate", outcome: .ok,
                                            detail: ["epoch": .count(Int(key.epoch)), "reason": .code(reason),
                                                     "deadline_in_s": .count(Int(max(0, deadline - now) / 1000))]))
        return Outcome(key: key, deadline: deadline, caFolderUpdated: caFolderUpdated)
    }

    /// Moves the latest changeover's deadline (earlier ones keep theirs unless `deadline` is sooner) and
    /// retires at once what it makes due; returns the epochs retired.
    package func moveDeadline(to deadline: Int64, now: Int64 = NodeClock.nowMillis()) throws(CoordinatorError) -> [UInt32] {
        var changeovers = try TokenChangeovers.load(from: coordinator.home)
        guard changeovers.latest != nil else { throw .invalidArgument("no token-key changeover was ever started (token-key rotate)") }
        changeovers.setDeadline(deadline)
        try changeovers.save(to: coordinator.home)
        coordinator.audit.append(AuditEvent(actor: AuditEvent.localActor, role: .operator, action: "token-key.deadline", outcome: .ok,
                                            detail: ["deadline_in_s": .count(Int(max(0, deadline - now) / 1000))]))
        return try TokenKeyRetirement(coordinator: coordinator).run(now: now)
    }
}
