import ExchangeAudit
import ExchangeProtocol
import ExchangeRuntime
import Foundation
import GRDB

/// Flags open incoming appeals whose deadline has passed: each is counted once in
/// `appeals.overdue` (on the day it is first seen overdue) and audited.
package enum AppealDeadlines {
    @discardableResult
    package static func sweep(_ context: NodeContext, today: Day = NodeClock.today()) throws(AppealError) -> [Appeal] {
        let overdue = try AppealTransaction.write(context.store) { db -> [Appeal] in
            let claimed = try AppealTable.claimNewlyOverdue(asOf: today, db)
            try DailyCounters.add(day: today, ["appeals.overdue": claimed.count], db)
            return claimed
        }
        for appeal in overdue {
            context.audit.append(AuditEvent(actor: AuditEvent.localActor, role: .local, action: "appeal.overdue", outcome: .ok,
                                            detail: ["appeal": .id(appeal.id), "entry": .id(appeal.entryID),
                                                     "deadline": .code(appeal.deadline.description)]))
        }
        return overdue
    }
}
