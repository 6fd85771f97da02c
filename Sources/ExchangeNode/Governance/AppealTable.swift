import ExchangeProtocol
import Foundation
import GRDB

/// The `appeals` table (migration `v2-appeals`): reads and writes inside the caller's transaction.
package enum AppealTable {
    static func insert(_ appeal: Appeal, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO appeals (appeal_id, direction, filer, origin, entry_id, reason, filed_at, received_at, deadline,
                                 status, decided_at, decision)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """, arguments: [appeal.id, appeal.direction.rawValue, appeal.filer, appeal.origin, appeal.entryID,
                             appeal.reason, appeal.filedAt, appeal.receivedAt, appeal.deadline.description,
                             appeal.status.rawValue, appeal.decidedAt, appeal.decision])
    }

    package static func find(_ id: String, direction: Appeal.Direction, _ db: Database) throws -> Appeal? {
        try GRDB.Row.fetchOne(db, sql: "SELECT * FROM appeals WHERE direction = ? AND appeal_id = ?",
                              arguments: [direction.rawValue, id]).flatMap(decode)
    }

    /// Appeals of one direction, oldest first; `status` nil means all.
    package static func list(direction: Appeal.Direction, status: Appeal.Status? = nil, _ db: Database) throws -> [Appeal] {
        var sql = "SELECT * FROM appeals WHERE direction = ?"
        var arguments: StatementArguments = [direction.rawValue]
        if let status {
            sql += " AND status = ?"
            arguments += [status.rawValue]
        }
        sql += " ORDER BY received_at, appeal_id"
        return try GRDB.Row.fetchAll(db, sql: sql, arguments: arguments).compactMap(decode)
    }

    /// Open appeals against one entry.
    static func openAgainst(origin: String, entryID: String, direction: Appeal.Direction, _ db: Database) throws -> [Appeal] {
        try GRDB.Row.fetchAll(db, sql: """
            SELECT * FROM appeals WHERE direction = ? AND origin = ? AND entry_id = ? AND status = 'open'
            ORDER BY received_at, appeal_id
            """, arguments: [direction.rawValue, origin, entryID]).compactMap(decode)
    }

    /// Records a decision (or, for outgoing appeals, the decision the origin reported).
    static func decide(_ id: String, direction: Appeal.Direction, status: Appeal.Status, at millis: Int64?, decision: String?,
                       _ db: Database) throws {
        try db.execute(sql: """
            UPDATE appeals SET status = ?, decided_at = ?, decision = ? WHERE direction = ? AND appeal_id = ?
            """, arguments: [status.rawValue, millis, decision, direction.rawValue, id])
    }

    /// Marks an outgoing appeal as polled now.
    static func markChecked(_ id: String, at millis: Int64, _ db: Database) throws {
        try db.execute(sql: "UPDATE appeals SET checked_at = ? WHERE direction = 'outgoing' AND appeal_id = ?",
                       arguments: [millis, id])
    }

    /// Incoming open appeals past their deadline that were not counted overdue yet; marks them counted.
    static func claimNewlyOverdue(asOf today: Day, _ db: Database) throws -> [Appeal] {
        let rows = try GRDB.Row.fetchAll(db, sql: """
            SELECT * FROM appeals WHERE direction = 'incoming' AND status = 'open' AND overdue_counted = 0 AND deadline < ?
            """, arguments: [today.description])
        try db.execute(sql: """
            UPDATE appeals SET overdue_counted = 1
            WHERE direction = 'incoming' AND status = 'open' AND overdue_counted = 0 AND deadline < ?
            """, arguments: [today.description])
        return rows.compactMap(decode)
    }

    private static func decode(_ row: GRDB.Row) -> Appeal? {
        guard let direction = Appeal.Direction(rawValue: row["direction"]),
              let status = Appeal.Status(rawValue: row["status"]),
              let deadline = Day(parsing: row["deadline"] as String) else { return nil }
        return Appeal(id: row["appeal_id"], direction: direction, filer: row["filer"], origin: row["origin"],
                      entryID: row["entry_id"], reason: row["reason"], filedAt: row["filed_at"],
                      receivedAt: row["received_at"], deadline: deadline, status: status,
                      decidedAt: row["decided_at"], decision: row["decision"])
    }
}
