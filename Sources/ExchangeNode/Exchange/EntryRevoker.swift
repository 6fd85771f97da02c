import ExchangeAudit
import ExchangeProtocol
import ExchangeRuntime
import Foundation
import GRDB

/// Revokes one of this node's own entries: a new signed event (status revoked, with the reason)
/// that peers apply on their next sync, plus retractions for the member's own matching accounts,
/// in one transaction.
package struct EntryRevoker {
    let context: NodeContext

    package init(context: NodeContext) {
        self.context = context
    }

    package struct Outcome: Sendable {
        package let seq: UInt64
        package let version: UInt32
        package let retractions: Int
    }

    package func revoke(entryID: String, reason: RevocationReason) throws(NodeError) -> Outcome {
        let member = context.member
        let now = NodeClock.nowMillis()
        let today = NodeClock.today()
        let outcome = try context.store.write { db -> Outcome in
            guard let blob = try Data.fetchOne(db, sql: "SELECT event FROM entries WHERE origin = ? AND entry_id = ?",
                                               arguments: [member, entryID]) else {
                throw NodeError.unknownEntry("\(member):\(entryID)")
            }
            let previous = try EntryEvent(canonical: [UInt8](blob))
            guard previous.status == .active else {
                throw NodeError.invalidArgument("entry \(entryID) is already revoked (\(previous.revocationReason?.rawValue ?? "?"))")
            }
            var writer = try OwnEventWriter(db, member: member, signingKey: context.keys.signingKey)
            let event = try writer.record(entryID: entryID) { seq, version in
                EntryEvent(origin: member, seq: seq, entryID: entryID, version: version, status: .revoked,
                           revocationReason: reason, list: previous.list, category: previous.category,
                           severity: previous.severity, role: previous.role, listedOn: previous.listedOn,
                           expiresOn: previous.expiresOn, scheme: previous.scheme, tokens: previous.tokens, changedAt: now)
            }
            try writer.finish()
            let retractions = try Retractions.retract(origin: member, entryID: entryID, reason: reason.rawValue, at: now, day: today, db)
            try DailyCounters.add(day: today, ["revocations": 1, "revocations.reason.\(reason.rawValue)": 1], db)
            return Outcome(seq: event.seq, version: event.version, retractions: retractions)
        }
        context.audit.append(AuditEvent(actor: AuditEvent.localActor, role: .operator, action: .revoke, outcome: .ok,
                                        detail: ["entry": .id(entryID), "reason": .code(reason.rawValue), "seq": .seq(outcome.seq)]))
        context.logger.info("entry revoked", metadata: ["entry": "\(entryID)", "reason": "\(reason.rawValue)"])
        return outcome
    }
}
