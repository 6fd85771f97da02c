import Foundation
import GRDB

/// Small integer settings kept in the store (`node_state`), e.g. the next own sequence number.
enum NodeState {
    static func get(_ db: Database, _ key: String) throws -> Int64? {
        try Int64.fetchOne(db, sql: "SELECT value FROM node_state WHERE key = ?", arguments: [key])
    }

    static func set(_ db: Database, _ key: String, _ value: Int64) throws {
        try db.execute(sql: "INSERT INTO node_state (key, value) VALUES (?, ?) ON CONFLICT(key) DO UPDATE SET value = excluded.value",
                       arguments: [key, value])
    }
}
