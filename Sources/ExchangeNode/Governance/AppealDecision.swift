import ExchangeAudit
import ExchangeProtocol
import ExchangeRuntime
import Foundation
import GRDB

/// The origin's operator decides an incoming appeal.
///
/// Upholding revokes the entry with reason `appeal-upheld` (``EntryRevoker``: a signed event every
/// peer applies on its next sync, retracting its matches) and closes every open appeal against
/// that entry as upheld. Rejecting records the reason, which the filer reads when it next polls.
/// Counters `appeals.upheld` / `appeals.rejected` are added in the same transaction as the
/// decision. A crash between the revocation and the decision is repaired by deciding again: an
/// entry already revoked is not revoked twice.
package struct AppealDecision {
    package enum Verdict: String, Sendable {
        case uphold
        case reject

        var status: Appeal.Status { self == .uphold ? .upheld : .rejected }
    }

    package struct Outcome: Sendable {
        package let appeal: Appeal
        /// The revocation this decision made (nil when rejecting, or when the entry was already revoked).
        package let revocation: EntryRevoker.Outcome?
        /// Other open appeals against the same entry, closed as upheld with it.
        package let alsoClosed: [String]
    }

    let context: NodeContext

    package init(context: NodeContext) {
        self.context = context
    }

    package func resolve(appealID: String, verdict: Verdict, reason: String?, now: Int64 = NodeClock.nowMillis(),
                 today: Day = NodeClock.today()) throws(AppealError) -> Outcome {
        guard let id = AppealID.normalise(appealID) else { throw .malformed("--appeal must be a UUID") }
        let decision = reason?.trimmingCharacters(in: .whitespacesAndNewlines)
        if verdict == .reject, decision?.isEmpty ?? true { throw .malformed("rejecting an appeal needs --reason (the filer is told)") }
        if let decision, !decision.isEmpty {
            do {
                try FreeTextGuard.check(decision, field: "reason")
            } catch {
                throw .text(error)
            }
        }
        let text = (decision?.isEmpty ?? true) ? nil : decision
        let appeal = try AppealTransaction.read(context.store) { db in try AppealTable.find(id, direction: .incoming, db) }
        guard let appeal else { throw .unknownAppeal(id) }
        guard appeal.status == .open else { throw .conflict("appeal \(id) is already \(appeal.status.rawValue)") }

        var revocation: EntryRevoker.Outcome?
        if verdict == .uphold, try entryIsActive(appeal.entryID) {
            do {
                revocation = try EntryRevoker(context: context).revoke(entryID: appeal.entryID, reason: .appealUpheld)
            } catch {
                throw .node(error)
            }
        }
        let closed = try AppealTransaction.write(context.store) { db throws -> [String] in
            let targets = verdict == .uphold
                ? try AppealTable.openAgainst(origin: appeal.origin, entryID: appeal.entryID, direction: .incoming, db).map(\.id)
                : [id]
            guard targets.contains(id) else { throw AppealError.conflict("appeal \(id) was decided meanwhile") }
            for target in targets {
                try AppealTable.decide(target, direction: .incoming, status: verdict.status, at: now, decision: text, db)
            }
            try DailyCounters.add(day: today, ["appeals.\(verdict.status.rawValue)": targets.count], db)
            return targets
        }
        for target in closed {
            context.audit.append(.appealDecided(appeal: target, entry: appeal.entryID, decision: verdict.status.rawValue))
        }
        context.logger.info("appeal decided", metadata: ["appeal": "\(id)", "decision": "\(verdict.status.rawValue)"])
        var decided = appeal
        decided.status = verdict.status
        decided.decidedAt = now
        decided.decision = text
        return Outcome(appeal: decided, revocation: revocation, alsoClosed: closed.filter { $0 != id })
    }

    private func entryIsActive(_ entryID: String) throws(AppealError) -> Bool {
        let member = context.member
        let status = try AppealTransaction.read(context.store) { db in
            try Int64.fetchOne(db, sql: "SELECT status FROM entries WHERE origin = ? AND entry_id = ?", arguments: [member, entryID])
        }
        guard let status else { throw .unknownEntry("\(member):\(entryID)") }
        return status == Int64(EntryStatus.active.code)
    }
}
