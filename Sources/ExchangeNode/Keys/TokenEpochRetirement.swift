import ExchangeAudit
import ExchangeCrypto
import ExchangeProtocol
import ExchangeRuntime
import Foundation
import GRDB

/// Retires a keyed-hash epoch this node no longer needs (docs/membership.md, 1.6): in ONE transaction
/// every stored entry still under it keeps its row, sequence number, metadata and event digest (cursors
/// and anti-entropy are unaffected) but loses its tokens — its `entry_tokens` rows are deleted and its
/// stored event, which holds them, is dropped — and the epoch is marked retired; then its key file is
/// scrubbed and the write-ahead log truncated. The store zeroes what it deletes (`secure_delete`), so
/// afterwards no file of the home holds the epoch's key or a token under it.
package struct TokenEpochRetirement {
    let context: NodeContext
    var clock: @Sendable () -> Int64 = { NodeClock.nowMillis() }

    package struct Outcome: Sendable, Equatable {
        package var epoch: UInt32
        /// Entries still under the epoch whose tokens were dropped (their origins had not moved).
        package var strippedEntries = 0
        /// Those entries' origins: stale from now on.
        package var staleOrigins: [String] = []
        package var walTruncated = true
    }

    func retire(epoch: UInt32) throws(NodeError) -> Outcome {
        let lock = try FileLock.acquire(context.home.tokenKeyLockFile)
        defer { withExtendedLifetime(lock) {} }
        let own = try NodeKeys.loadTokenKey(context.home.tokenKeyFile).epoch
        guard epoch != own else { throw .configuration("token key epoch \(epoch) is this node's own epoch: it cannot be retired") }
        let now = clock()
        var outcome = try context.store.write { db -> Outcome in
            var outcome = Outcome(epoch: epoch)
            var origins = Set<String>()
            let deleteToken = try db.cachedStatement(sql: "DELETE FROM entry_tokens WHERE token = ? AND entry = ?")
            // The row keeps its sequence, digest and metadata; its event (which holds the tokens) is dropped,
            // and an empty `index_tokens` marks it as kept without tokens (EntryTable then deletes none of it).
            let rewrite = try db.cachedStatement(sql: "UPDATE entries SET event = x'', index_tokens = x'' WHERE id = ?")
            let rows = try GRDB.Row.fetchAll(db, sql: """
                SELECT id, event FROM entries WHERE scheme = ? AND epoch = ? AND \(Self.holdsTokens)
                """,
                                             arguments: [Int64(TokenSchemeID.keyedHash.code), Int64(epoch)])
            for row in rows {
                let rowID: Int64 = row[0]
                let event = try EntryEvent(canonical: [UInt8](row[1] as Data))
                guard !event.tokens.isEmpty else { continue }
                for token in event.tokens { try deleteToken.execute(arguments: [Data(token.bytes), rowID]) }
                try rewrite.execute(arguments: [rowID])
                outcome.strippedEntries += 1
                origins.insert(event.origin)
            }
            // Watched accounts drop their values under this epoch here, in this transaction.
            try WatchOwnDomain.dropPreviousKeyed(epoch: epoch, db)
            try TokenEpochs.noteRetired(db, epoch: epoch, at: now)
            try EntriesVersion.bump(db)
            outcome.staleOrigins = origins.sorted()
            return outcome
        }
        TokenKeyFiles.scrub(context.home.tokenKeyEpochFile(epoch))
        outcome.walTruncated = Self.truncateWAL(context.store)
        context.audit.append(AuditEvent(
            actor: AuditEvent.localActor, role: .local, action: "token-key.retire", outcome: .ok,
            detail: ["epoch": .count(Int(epoch)), "stripped_entries": .count(outcome.strippedEntries),
                     "stale_origins": .count(outcome.staleOrigins.count), "wal_truncated": .flag(outcome.walTruncated)]))
        context.logger.notice("retired a token key epoch: its key and tokens are deleted", metadata: [
            "epoch": "\(epoch)", "stripped_entries": "\(outcome.strippedEntries)",
            "stale_origins": "\(outcome.staleOrigins.joined(separator: ","))"])
        return outcome
    }

    /// SQL condition: the entry row still holds its tokens (it was not stripped by a retirement).
    static let holdsTokens = "(index_tokens IS NULL OR length(index_tokens) > 0)"

    /// Checkpoints and truncates the WAL, retrying while a reader holds an old snapshot (a few times,
    /// 50 ms apart); false when it could not (the next key maintenance tries again).
    static func truncateWAL(_ store: NodeStore, attempts: Int = 20) -> Bool {
        for attempt in 0..<attempts {
            if PairwiseKeyRotation.truncateWAL(store) { return true }
            if attempt + 1 < attempts { usleep(50_000) }
        }
        return false
    }
}
