import ExchangeProtocol
import Foundation

/// How `appeal list` and `appeal show` print appeals.
package enum AppealListing {
    package static func text(incoming: [Appeal], outgoing: [Appeal], today: Day) -> String {
        var lines: [String] = []
        let overdue = incoming.filter { $0.isOverdue(on: today) }.count
        lines.append("appeals against our entries: \(incoming.count) (\(incoming.filter { $0.status == .open }.count) open, \(overdue) overdue)")
        lines += table(incoming, counterpart: "FILER", today: today) { $0.filer }
        lines.append("")
        lines.append("appeals we filed: \(outgoing.count) (\(outgoing.filter { $0.status == .open }.count) open)")
        lines += table(outgoing, counterpart: "ORIGIN", today: today) { $0.origin }
        return lines.joined(separator: "\n")
    }

    private static func table(_ appeals: [Appeal], counterpart: String, today: Day, _ who: (Appeal) -> String) -> [String] {
        guard !appeals.isEmpty else { return ["  (none)"] }
        var lines = ["  " + pad("APPEAL", 37) + pad(counterpart, 16) + pad("ENTRY", 24) + pad("STATUS", 10) + "DEADLINE"]
        for appeal in appeals {
            let flag = appeal.isOverdue(on: today) ? "  OVERDUE" : ""
            lines.append("  " + pad(appeal.id, 37) + pad(who(appeal), 16) + pad(appeal.entryID, 24) + pad(appeal.status.rawValue, 10)
                         + appeal.deadline.description + flag)
            if let decision = appeal.decision { lines.append("      decision: \(preview(decision))") }
        }
        return lines
    }

    package static func detail(_ appeal: Appeal, today: Day) -> String {
        var lines = [
            "appeal      \(appeal.id) (\(appeal.direction.rawValue))",
            "entry       \(appeal.entryReference)",
            "filer       \(appeal.filer)",
            "filed at    \(appeal.filedAt); received \(ISO8601.format(millis: appeal.receivedAt))",
            "deadline    \(appeal.deadline)\(appeal.isOverdue(on: today) ? " (OVERDUE)" : "")",
            "status      \(appeal.status.rawValue)\(appeal.decidedAt.map { " at \(ISO8601.format(millis: $0))" } ?? "")",
        ]
        if let decision = appeal.decision { lines.append("decision    \(decision)") }
        lines.append("reason")
        lines += appeal.reason.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }
        return lines.joined(separator: "\n")
    }

    package static func jsonLine(_ appeal: Appeal, today: Day) -> String {
        var fields: [String: OutboxValue] = [
            "appeal_id": .string(appeal.id), "direction": .string(appeal.direction.rawValue), "filer": .string(appeal.filer),
            "origin": .string(appeal.origin), "entry_id": .string(appeal.entryID), "status": .string(appeal.status.rawValue),
            "deadline": .string(appeal.deadline.description), "overdue": .string(appeal.isOverdue(on: today) ? "yes" : "no"),
            "received_at": .string(ISO8601.format(millis: appeal.receivedAt)),
        ]
        if let decidedAt = appeal.decidedAt { fields["decided_at"] = .string(ISO8601.format(millis: decidedAt)) }
        if let decision = appeal.decision { fields["decision"] = .string(decision) }
        return OutboxValue.object(fields).json
    }

    private static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text.padding(toLength: width, withPad: " ", startingAt: 0)
    }

    private static func preview(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ")
        return flat.count > 100 ? String(flat.prefix(100)) + "…" : flat
    }
}
