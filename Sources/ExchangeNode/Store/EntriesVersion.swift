import Foundation
import GRDB

/// A counter bumped by every transaction that changes entries (imports, revocations, applied sync
/// pages, resets), so a long-running process can tell that its in-memory index is stale even when
/// another process (a CLI `sync`, `import` or `revoke`) made the change.
enum EntriesVersion {
    static let key = "entries_version"

    static func bump(_ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO node_state (key, value) VALUES (?, 1)
            ON CONFLICT(key) DO UPDATE SET value = value + 1
            """, arguments: [key])
    }

    static func current(_ db: Database) throws -> Int64 { try NodeState.get(db, key) ?? 0 }
}
