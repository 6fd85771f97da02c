import Foundation
import GRDB

/// The store's record of a feed recovery (docs/operations.md, "Design: feed recovery"): whether the
/// node is recovering its own feed after a restore (`node_state.recovery_pending`), from which of its
/// own sequence numbers (`recovery_from_seq`, the backup's head), and what each peer answered
/// (`feed_recovery`, migration v6-recovery).
package enum FeedRecoveryState {
    static let pendingKey = "recovery_pending"
    static let fromSeqKey = "recovery_from_seq"
    static let restoredAtKey = "restored_at"
    /// Sequence numbers above this from a peer are refused (a holder claiming a huge cursor would make
    /// the node skip most of its sequence space).
    package static let maximumClaimedSequence: UInt64 = 1 << 62

    /// What one peer answered.
    package struct PeerAnswer: Codable, Sendable, Equatable {
        package let member: String
        /// The highest sequence number of ours the peer holds or has passed with its cursor.
        package let heldThrough: UInt64
        /// The highest sequence number among the events it returned.
        package let highestSeq: UInt64
        /// Events it returned that were newer than ours.
        package let events: Int
        /// When it finished answering (Unix milliseconds); nil while its answer is incomplete.
        package let answeredAt: Int64?
    }

    /// The recovery as `status` shows it.
    package struct Snapshot: Codable, Sendable, Equatable {
        package let pending: Bool
        /// The backup's head: what the node knew of its own feed when it was restored.
        package let fromSeq: UInt64?
        /// The node's own head now.
        package let head: UInt64
        package let restoredAt: Int64?
        package let peers: [PeerAnswer]
        /// Configured peer nodes that have not answered yet (while pending).
        package let waitingFor: [String]
        /// Own entries without sealed identifiers (recovered ones): they cannot be re-tokenised.
        package let ownEntriesWithoutSealedIdentifiers: Int
    }

    static func isPending(_ db: Database) throws -> Bool { (try NodeState.get(db, pendingKey) ?? 0) != 0 }

    package static func isPending(_ store: NodeStore) throws(NodeError) -> Bool { try store.read { db in try isPending(db) } }

    /// Refuses (``NodeError/Code/feedRecoveryPending``) while the node recovers its feed.
    static func ensureNotPending(_ db: Database) throws {
        guard try isPending(db) else { return }
        let waiting = try String.fetchAll(db, sql: "SELECT peer FROM feed_recovery WHERE answered_at IS NULL ORDER BY peer")
        throw NodeError.feedRecoveryPending(waitingFor: waiting)
    }

    /// Starts a recovery from the node's own head `fromSeq` (`restore`): every peer must answer.
    static func begin(fromSeq: UInt64, at millis: Int64, _ db: Database) throws {
        try NodeState.set(db, pendingKey, 1)
        try NodeState.set(db, fromSeqKey, Int64(fromSeq))
        try NodeState.set(db, restoredAtKey, millis)
        try db.execute(sql: "DELETE FROM feed_recovery")
    }

    static func fromSeq(_ db: Database) throws -> UInt64 { UInt64(try NodeState.get(db, fromSeqKey) ?? 0) }

    static func hasAnswered(_ peer: String, _ db: Database) throws -> Bool {
        try Int64.fetchOne(db, sql: "SELECT answered_at FROM feed_recovery WHERE peer = ?", arguments: [peer]) != nil
    }

    /// Adds one page's worth of a peer's answer; `answered` on its last page.
    static func record(peer: String, heldThrough: UInt64, highestSeq: UInt64, events: Int, answered: Bool,
                       at millis: Int64, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO feed_recovery (peer, held_through, highest_seq, events, answered_at) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (peer) DO UPDATE SET held_through = MAX(held_through, excluded.held_through),
                highest_seq = MAX(highest_seq, excluded.highest_seq), events = events + excluded.events,
                answered_at = excluded.answered_at
            """, arguments: [peer, Int64(heldThrough), Int64(highestSeq), events, answered ? millis : nil])
    }

    /// Clears the pending mark when every one of `peers` has answered, after checking that the own
    /// head is at or above everything they hold. Returns whether it cleared it.
    static func completeIfAllAnswered(peers: [String], _ db: Database) throws -> Bool {
        guard try isPending(db) else { return false }
        for peer in peers where try !hasAnswered(peer, db) { return false }
        let highest = UInt64(try Int64.fetchOne(db, sql: "SELECT MAX(MAX(held_through, highest_seq)) FROM feed_recovery") ?? 0)
        let head = UInt64(try NodeState.get(db, OwnEventWriter.sequenceKey) ?? 0)
        guard head >= highest else {
            throw NodeError.protocolViolation("feed recovery: own head #\(head) is below #\(highest), which a peer holds")
        }
        try NodeState.set(db, pendingKey, 0)
        return true
    }

    package static func snapshot(_ db: Database, member: String, peers: [String]) throws -> Snapshot {
        let pending = try isPending(db)
        let answers = try GRDB.Row.fetchAll(db, sql: "SELECT peer, held_through, highest_seq, events, answered_at FROM feed_recovery ORDER BY peer")
            .map { row in
                PeerAnswer(member: row["peer"], heldThrough: UInt64(row["held_through"] as Int64),
                           highestSeq: UInt64(row["highest_seq"] as Int64), events: row["events"], answeredAt: row["answered_at"])
            }
        let answered = Set(answers.filter { $0.answeredAt != nil }.map(\.member))
        let unsealed = try Int.fetchOne(db, sql: """
            SELECT COUNT(*) FROM entries e LEFT JOIN sealed_identifiers s ON s.entry = e.id WHERE e.origin = ? AND s.entry IS NULL
            """, arguments: [member]) ?? 0
        return Snapshot(
            pending: pending, fromSeq: try NodeState.get(db, fromSeqKey).map { UInt64($0) },
            head: UInt64(try NodeState.get(db, OwnEventWriter.sequenceKey) ?? 0),
            restoredAt: try NodeState.get(db, restoredAtKey), peers: answers,
            waitingFor: pending ? peers.filter { !answered.contains($0) }.sorted() : [],
            ownEntriesWithoutSealedIdentifiers: unsealed)
    }
}
