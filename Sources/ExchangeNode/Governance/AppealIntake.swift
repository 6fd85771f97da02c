import ExchangeProtocol
import ExchangeRuntime
import Foundation
import GRDB

/// The origin's side of an appeal's arrival: validates a filer's submission, stores it with its
/// deadline (`appealDeadlineWorkingDays` working days after the day it arrived) and counts it
/// (`appeals.filed`), in one transaction. Re-sending the same appeal id with the same content is
/// idempotent; the same id with other content, or from another member, is a conflict.
struct AppealIntake {
    let context: NodeContext

    struct Receipt: Sendable {
        let appeal: Appeal
        /// False when the appeal was already stored (an idempotent re-send).
        let created: Bool
    }

    func receive(_ submission: AppealSubmission, from filer: String, visibility: PeerVisibility,
                 now: Int64 = NodeClock.nowMillis(), today: Day = NodeClock.today()) throws(AppealError) -> Receipt {
        let valid = try AppealValidation.submission(submission)
        let origin = context.member
        let deadlineDays = context.config.appealDeadlineWorkingDays
        let receipt = try AppealTransaction.write(context.store) { db throws -> Receipt in
            if let existing = try AppealTable.find(valid.appealID, direction: .incoming, db) {
                guard existing.filer == filer, existing.entryID == valid.entryID, existing.reason == valid.reason else {
                    throw AppealError.conflict("appeal id \(valid.appealID) is already used by another appeal")
                }
                return Receipt(appeal: existing, created: false)
            }
            guard let row = try GRDB.Row.fetchOne(db, sql: """
                SELECT list, category, status FROM entries WHERE origin = ? AND entry_id = ?
                """, arguments: [origin, valid.entryID]),
                visibility.admits(listCode: row["list"], categoryCode: row["category"]) else {
                throw AppealError.unknownEntry("\(origin):\(valid.entryID)")
            }
            guard (row["status"] as Int64) == Int64(EntryStatus.active.code) else {
                throw AppealError.entryNotActive("\(origin):\(valid.entryID)")
            }
            let appeal = Appeal(id: valid.appealID, direction: .incoming, filer: filer, origin: origin, entryID: valid.entryID,
                                reason: valid.reason, filedAt: valid.filedAt, receivedAt: now,
                                deadline: WorkingDays.deadline(from: today, workingDays: deadlineDays),
                                status: .open, decidedAt: nil, decision: nil)
            try AppealTable.insert(appeal, db)
            try DailyCounters.add(day: today, ["appeals.filed": 1], db)
            return Receipt(appeal: appeal, created: true)
        }
        if receipt.created {
            context.audit.append(.appealFiled(appeal: receipt.appeal.id, entry: receipt.appeal.entryID, actor: filer, role: .peer))
            context.logger.info("appeal received", metadata: ["appeal": "\(receipt.appeal.id)", "filer": "\(filer)",
                                                              "entry": "\(receipt.appeal.entryID)"])
        }
        return receipt
    }

    /// The state of an appeal as its filer may read it; any other caller learns nothing (not found).
    func state(of id: String, for caller: String) throws(AppealError) -> Appeal {
        guard let normalised = AppealID.normalise(id) else { throw .unknownAppeal("(not a UUID)") }
        let appeal = try AppealTransaction.read(context.store) { db in try AppealTable.find(normalised, direction: .incoming, db) }
        guard let appeal, appeal.filer == caller else { throw .unknownAppeal(normalised) }
        return appeal
    }
}
