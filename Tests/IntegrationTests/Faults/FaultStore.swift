import AllianceTestSupport
import Foundation
import GRDB

/// Reads a node's store directly (SQLite, the same file the node uses) to check what a kill left behind.
/// Only reads; safe while a `serve` runs on it (WAL).
struct FaultStore {
    let path: String

    init(_ node: TestNode) { path = node.storePath }

    private func read<T>(_ body: (Database) throws -> T) throws -> T {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.busyMode = .timeout(30)
        let queue = try DatabaseQueue(path: path, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read(body)
    }

    /// One line per entry of `origin` (or every origin): `origin entry_id seq version status digest`,
    /// sorted — what "the stores are equal" compares.
    func entryLines(origin: String? = nil) throws -> [String] {
        try read { db in
            let sql = """
                SELECT origin, entry_id, seq, version, status, hex(event_digest) AS digest FROM entries
                \(origin == nil ? "" : "WHERE origin = ?") ORDER BY origin, entry_id
                """
            return try Row.fetchAll(db, sql: sql, arguments: origin.map { [$0] } ?? []).map { row in
                let seq: Int64 = row["seq"], version: Int64 = row["version"], status: Int64 = row["status"]
                let digest: String = row["digest"]
                return "\(row["origin"] as String) \(row["entry_id"] as String) \(seq) \(version) \(status) \(digest)"
            }
        }
    }

    /// One line per (entry, token) of `origin`: `entry_id version status list category token`, sorted — compares
    /// what two different members imported from the same file (their origins and sequences differ).
    /// CROSS JOIN keeps SQLite scanning the token table once: it has no index on `entry` to probe per entry.
    func contentLines(origin: String) throws -> [String] {
        try read { db in
            try Row.fetchAll(db, sql: """
                SELECT e.entry_id, e.version, e.status, e.list, e.category, hex(t.token) AS token
                FROM entry_tokens t CROSS JOIN entries e ON e.id = t.entry WHERE e.origin = ? ORDER BY 1, 6
                """, arguments: [origin]).map { row in
                let version: Int64 = row["version"], status: Int64 = row["status"], list: Int64 = row["list"], category: Int64 = row["category"]
                return "\(row["entry_id"] as String) \(version) \(status) \(list) \(category) \(row["token"] as String)"
            }
        }
    }

    /// The stored cursor for `origin`, 0 when none.
    func cursor(_ origin: String) throws -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "SELECT through_seq FROM cursors WHERE origin = ?", arguments: [origin]) ?? 0 }
    }

    /// The node's own event sequence head (`node_state.own_seq`).
    func ownHead() throws -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "SELECT value FROM node_state WHERE key = 'own_seq'") ?? 0 }
    }

    /// Internal consistency of `origin`'s rows: every entry has tokens, no token row is orphaned, every entry's
    /// sequence is covered by a stored signed batch, and no sequence is used twice. Empty when consistent.
    func inconsistencies(origin: String) throws -> [String] {
        try read { db in
            var problems: [String] = []
            let withoutTokens = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM entries e WHERE e.origin = ? AND e.id NOT IN (SELECT entry FROM entry_tokens)
                """, arguments: [origin]) ?? 0
            if withoutTokens > 0 { problems.append("\(withoutTokens) entries of \(origin) without tokens") }
            let orphans = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM entry_tokens t WHERE t.entry NOT IN (SELECT id FROM entries)
                """) ?? 0
            if orphans > 0 { problems.append("\(orphans) orphaned token rows") }
            let uncovered = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM entries e WHERE e.origin = ? AND NOT EXISTS
                  (SELECT 1 FROM batches b WHERE b.origin = e.origin AND b.first_seq <= e.seq AND e.seq <= b.last_seq)
                """, arguments: [origin]) ?? 0
            if uncovered > 0 { problems.append("\(uncovered) entries of \(origin) not covered by a stored batch") }
            let reused = try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM (SELECT seq FROM entries WHERE origin = ? GROUP BY seq HAVING COUNT(*) > 1)
                """, arguments: [origin]) ?? 0
            if reused > 0 { problems.append("\(reused) sequence numbers of \(origin) used twice") }
            return problems
        }
    }

    /// Outbox records `(seq, type, body)` in order.
    func outbox() throws -> [(seq: Int64, type: String, body: String)] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT seq, type, body FROM outbox ORDER BY seq").map { ($0["seq"], $0["type"], $0["body"]) }
        }
    }

    /// Recorded matches as `ref kind origin entry_id`, sorted.
    func matchLines() throws -> [String] {
        try read { db in
            try Row.fetchAll(db, sql: "SELECT ref, kind, origin, entry_id FROM matches ORDER BY 1, 2, 3, 4").map {
                "\($0["ref"] as String) \($0["kind"] as String) \($0["origin"] as String) \($0["entry_id"] as String)"
            }
        }
    }

    /// An outbox consumer's acknowledged position.
    func outboxCursor(_ consumer: String) throws -> Int64 {
        try read { db in try Int64.fetchOne(db, sql: "SELECT through_seq FROM outbox_cursors WHERE consumer = ?", arguments: [consumer]) ?? 0 }
    }
}
