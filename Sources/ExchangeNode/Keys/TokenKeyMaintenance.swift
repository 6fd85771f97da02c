import ExchangeAudit
import ExchangeCrypto
import ExchangeProtocol
import ExchangeRuntime
import Foundation
import GRDB

/// After every sync round and in `keys refresh` (docs/membership.md, 1.6): acquires the key of every
/// keyed-hash epoch that stored entries use and this node lacks (from the coordinator), and retires
/// every epoch below the own one that no stored entry needs any more — none is under it, or its
/// changeover deadline passed and no kept entry of an expelled member needs it.
package struct TokenKeyMaintenance {
    let context: NodeContext
    /// Where missing keys come from; nil when the node has no coordinator (then nothing is acquired).
    let coordinator: CoordinatorLink?
    var clock: @Sendable () -> Int64 = { NodeClock.nowMillis() }

    package struct Outcome: Sendable {
        package var acquired: [UInt32] = []
        /// Epochs used by stored entries whose key could not be fetched (their origins are stale).
        package var missing: [UInt32] = []
        package var retired: [TokenEpochRetirement.Outcome] = []
        package var walTruncated = true
    }

    static let walPendingKey = "token_retire_wal_pending"

    func run() async throws(NodeError) -> Outcome {
        var outcome = Outcome()
        guard context.config.scheme == .keyedHash else { return outcome }
        let now = clock()
        let today = Day.utc(unixSeconds: now / 1000)
        let held = try TokenKeyFiles.loadHeld(context.home)
        let (used, rows) = try context.store.read { db in
            (Set(try TokenEpochs.originEpochs(db, active: false).map(\.epoch)), try TokenEpochs.all(db))
        }
        // Retired epochs whose deadline passed are final: entries under them are kept without tokens.
        let retired = Set(rows.filter { $0.retiredAt != nil }.map(\.epoch))
        let closed = Set(rows.filter { $0.retiredAt != nil && ($0.changeoverDeadline.map { $0 <= now } ?? false) }.map(\.epoch))
        let membership = try? MembershipFile.load(context.home)
        for epoch in used.subtracting(held.keys).subtracting(closed).sorted() {
            guard let coordinator else {
                outcome.missing.append(epoch)
                continue
            }
            do {
                let key = try await coordinator.tokenKey(epoch: epoch, expectedFingerprint: membership?.epoch(epoch)?.fingerprint)
                try TokenKeyFiles.save(key, to: context.home.tokenKeyEpochFile(epoch))
                try context.store.write { db in
                    try TokenEpochs.noteAcquired(db, epoch: epoch, fingerprint: key.fingerprint, at: now)
                    // Watched accounts (issue 13) get their token under the acquired epoch here.
                    try EntriesVersion.bump(db)
                }
                context.audit.append(AuditEvent(actor: AuditEvent.localActor, role: .local, action: "token-key.acquire",
                                                outcome: .ok, detail: ["epoch": .count(Int(epoch))]))
                context.logger.notice("acquired a token key epoch that stored entries use", metadata: ["epoch": "\(epoch)"])
                outcome.acquired.append(epoch)
            } catch {
                outcome.missing.append(epoch)
                context.logger.warning("cannot fetch a token key epoch that stored entries use: their origins are stale",
                                       metadata: ["epoch": "\(epoch)", "error": "\(error)"])
            }
        }
        let own = try NodeKeys.loadTokenKey(context.home.tokenKeyFile).epoch
        let deadlines = Dictionary(uniqueKeysWithValues: rows.compactMap { row in row.changeoverDeadline.map { (row.epoch, $0) } })
        for epoch in Set(held.keys.filter { $0 < own }).union(used.filter { $0 < own }).subtracting(closed).sorted() {
            let (entries, keptNeed) = try context.store.read { db in
                (try Self.entries(under: epoch, db), try Self.keptEntriesNeed(epoch, today: today, db))
            }
            if retired.contains(epoch), entries == 0 { continue }  // retired early, nothing arrived under it since
            let deadlinePassed = deadlines[epoch].map { $0 <= now } ?? false
            guard entries == 0 || (deadlinePassed && !keptNeed) else { continue }
            outcome.retired.append(try TokenEpochRetirement(context: context, clock: clock).retire(epoch: epoch))
        }
        outcome.walTruncated = try truncatePendingWAL(after: outcome.retired)
        return outcome
    }

    /// Stored keyed-hash entries (any status) under `epoch` that still hold tokens.
    static func entries(under epoch: UInt32, _ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: """
            SELECT COUNT(*) FROM entries WHERE scheme = ? AND epoch = ? AND \(TokenEpochRetirement.holdsTokens)
            """,
                         arguments: [Int64(TokenSchemeID.keyedHash.code), Int64(epoch)]) ?? 0
    }

    /// Whether an expelled member whose entries the alliance keeps has an active, unexpired entry under `epoch`.
    static func keptEntriesNeed(_ epoch: UInt32, today: Day, _ db: Database) throws -> Bool {
        try Bool.fetchOne(db, sql: """
            SELECT EXISTS (SELECT 1 FROM entries e JOIN expelled_members x ON x.member = e.origin AND x.entries = 'keep'
                           WHERE e.scheme = ? AND e.epoch = ? AND e.status = 1 AND (e.expires_on IS NULL OR e.expires_on > ?))
            """, arguments: [Int64(TokenSchemeID.keyedHash.code), Int64(epoch), Int64(today.ordinal)]) ?? false
    }

    /// A retirement whose WAL could not be truncated (a reader held it) is remembered
    /// (`node_state.token_retire_wal_pending`) and retried on every maintenance until it succeeds.
    private func truncatePendingWAL(after retired: [TokenEpochRetirement.Outcome]) throws(NodeError) -> Bool {
        let pending = try context.store.read { db in try NodeState.get(db, Self.walPendingKey) } == 1
        if retired.contains(where: { !$0.walTruncated }) {
            if !pending { try context.store.write { db in try NodeState.set(db, Self.walPendingKey, 1) } }
            return false
        }
        guard pending else { return true }
        guard TokenEpochRetirement.truncateWAL(context.store) else { return false }
        try context.store.write { db in try db.execute(sql: "DELETE FROM node_state WHERE key = ?", arguments: [Self.walPendingKey]) }
        return true
    }
}
