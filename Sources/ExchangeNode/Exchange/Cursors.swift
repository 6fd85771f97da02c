import Crypto
import ExchangeCrypto
import ExchangeProtocol
import ExchangeRuntime
import Foundation
import GRDB

/// Per-origin sync cursors.
enum Cursors {
    static func get(origin: String, _ db: Database) throws -> UInt64 {
        UInt64(try Int64.fetchOne(db, sql: "SELECT through_seq FROM cursors WHERE origin = ?", arguments: [origin]) ?? 0)
    }

    static func set(origin: String, through: UInt64, at millis: Int64, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO cursors (origin, through_seq, updated_at) VALUES (?, ?, ?)
            ON CONFLICT (origin) DO UPDATE SET through_seq = excluded.through_seq, updated_at = excluded.updated_at
            """, arguments: [origin, Int64(through), millis])
    }
}
