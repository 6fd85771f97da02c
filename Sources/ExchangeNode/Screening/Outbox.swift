import ExchangeProtocol
import ExchangeRuntime
import Foundation
import GRDB

/// The outbox the member's own systems read: one JSON record per new match and per retraction,
/// numbered, written in the same transaction as the change that caused it. Consumers read after
/// their cursor and acknowledge, so delivery is at-least-once and survives restarts.
package enum Outbox {
    static func append(type: String, body: [String: OutboxValue], at millis: Int64, _ db: Database) throws {
        try db.cachedStatement(sql: "INSERT INTO outbox (created_at, type, body) VALUES (?, ?, ?)")
            .execute(arguments: [millis, type, OutboxValue.object(body).json])
    }

    /// Records after `cursor`, oldest first.
    package static func read(after cursor: Int64, limit: Int, _ db: Database) throws -> [(seq: Int64, json: String)] {
        try GRDB.Row.fetchAll(db, sql: "SELECT seq, body FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?", arguments: [cursor, limit])
            .map { (seq: $0["seq"], json: $0["body"]) }
    }

    static func cursor(consumer: String, _ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT through_seq FROM outbox_cursors WHERE consumer = ?", arguments: [consumer]) ?? 0
    }

    static func acknowledge(consumer: String, through seq: Int64, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO outbox_cursors (consumer, through_seq) VALUES (?, ?)
            ON CONFLICT (consumer) DO UPDATE SET through_seq = MAX(through_seq, excluded.through_seq)
            """, arguments: [consumer, seq])
    }
}
