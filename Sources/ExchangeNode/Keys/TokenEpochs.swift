import ExchangeCrypto
import ExchangeRuntime
import GRDB

/// The store's word on keyed-hash token-key epochs: the own epoch (`node_state.token_epoch`, written by
/// a changeover in the same transaction as the re-issued entries) and the `token_epochs` table
/// (deadlines, acquisitions, retirements). See docs/membership.md.
enum TokenEpochs {
    static let ownKey = "token_epoch"

    struct Row: Sendable, Equatable {
        let epoch: UInt32
        var fingerprint: String?
        /// Milliseconds; after it, entries under this epoch no longer count.
        var changeoverDeadline: Int64?
        var acquiredAt: Int64?
        var retiredAt: Int64?
    }

    /// The epoch this node's own entries are under; nil on a node that never moved (then `token-key.json`'s).
    static func own(_ db: Database) throws -> UInt32? {
        try NodeState.get(db, ownKey).map { UInt32(truncatingIfNeeded: $0) }
    }

    static func setOwn(_ db: Database, _ epoch: UInt32) throws {
        try NodeState.set(db, ownKey, Int64(epoch))
    }

    /// Refuses (inside the caller's transaction) to write own tokens made under `epoch` when the node
    /// moved to another epoch meanwhile (an import that raced a changeover).
    static func ensureOwn(_ db: Database, is epoch: UInt32) throws {
        if let stored = try own(db), stored != epoch {
            throw NodeError.configuration(
                "this node moved to token key epoch \(stored) while this command worked under epoch \(epoch): nothing was stored, run it again")
        }
    }

    /// Records the own epoch's key as held when the store does not know it yet (a home made before
    /// `v7-epochs`, or a fresh one): one read, and a write only the first time.
    static func bootstrap(_ store: NodeStore, own key: AllianceTokenKey) throws(NodeError) {
        let known = try store.read { db in
            try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM token_epochs WHERE epoch = ? AND acquired_at IS NOT NULL)",
                              arguments: [Int64(key.epoch)]) ?? false
        }
        guard !known else { return }
        try store.write { db in try noteAcquired(db, epoch: key.epoch, fingerprint: key.fingerprint, at: NodeClock.nowMillis()) }
    }

    static func all(_ db: Database) throws -> [Row] {
        try GRDB.Row.fetchAll(db, sql: """
            SELECT epoch, fingerprint, changeover_deadline, acquired_at, retired_at FROM token_epochs ORDER BY epoch
            """).map { row in
            Row(epoch: UInt32(truncatingIfNeeded: row[0] as Int64), fingerprint: row[1], changeoverDeadline: row[2],
                acquiredAt: row[3], retiredAt: row[4])
        }
    }

    /// Epochs retired whose changeover deadline has passed: entries that arrive under them are kept
    /// without tokens (their origins never moved). One small read per sync transaction.
    static func closedEpochs(_ db: Database, now: Int64) throws -> Set<UInt32> {
        Set(try Int64.fetchAll(db, sql: """
            SELECT epoch FROM token_epochs WHERE retired_at IS NOT NULL AND changeover_deadline IS NOT NULL AND changeover_deadline <= ?
            """, arguments: [now]).map { UInt32(truncatingIfNeeded: $0) })
    }

    static func retired(_ db: Database) throws -> Set<UInt32> {
        Set(try Int64.fetchAll(db, sql: "SELECT epoch FROM token_epochs WHERE retired_at IS NOT NULL")
            .map { UInt32(truncatingIfNeeded: $0) })
    }

    /// Records what the coordinator published about an epoch (fingerprint, deadline); keeps what is known.
    static func noteDeadline(_ db: Database, epoch: UInt32, fingerprint: String?, deadline: Int64?) throws {
        try db.execute(sql: """
            INSERT INTO token_epochs (epoch, fingerprint, changeover_deadline) VALUES (?, ?, ?)
            ON CONFLICT (epoch) DO UPDATE SET
                fingerprint = COALESCE(token_epochs.fingerprint, excluded.fingerprint),
                changeover_deadline = excluded.changeover_deadline
            """, arguments: [Int64(epoch), fingerprint, deadline])
    }

    /// Records that this node holds the key of `epoch` from now on (again, if it retired it early and
    /// entries under it arrived before its deadline).
    static func noteAcquired(_ db: Database, epoch: UInt32, fingerprint: String, at millis: Int64) throws {
        try db.execute(sql: """
            INSERT INTO token_epochs (epoch, fingerprint, acquired_at) VALUES (?, ?, ?)
            ON CONFLICT (epoch) DO UPDATE SET fingerprint = excluded.fingerprint, acquired_at = excluded.acquired_at,
                retired_at = NULL
            """, arguments: [Int64(epoch), fingerprint, millis])
    }

    static func noteRetired(_ db: Database, epoch: UInt32, at millis: Int64) throws {
        try db.execute(sql: """
            INSERT INTO token_epochs (epoch, retired_at) VALUES (?, ?)
            ON CONFLICT (epoch) DO UPDATE SET retired_at = excluded.retired_at
            """, arguments: [Int64(epoch), millis])
    }

    /// Entries per (origin, epoch) under the keyed-hash scheme, active ones only when `active`.
    static func originEpochs(_ db: Database, active: Bool) throws -> [(origin: String, epoch: UInt32, entries: Int)] {
        try GRDB.Row.fetchAll(db, sql: """
            SELECT origin, epoch, COUNT(*) FROM entries WHERE scheme = ? \(active ? "AND status = 1" : "")
            GROUP BY origin, epoch ORDER BY origin, epoch
            """, arguments: [Int64(TokenSchemeID.keyedHash.code)]).map { row in
            (row[0] as String, UInt32(truncatingIfNeeded: row[1] as Int64), row[2] as Int)
        }
    }
}
