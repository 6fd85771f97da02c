import ExchangeAudit
import ExchangeCrypto
import ExchangeProtocol
import ExchangeRuntime
import Foundation
import GRDB

/// Moves this node's own entries from keyed-hash epoch N to the alliance's new epoch (docs/membership.md, 1.3).
///
/// 1. The new key is written to `keys/token-key.next.json` (0600, atomically).
/// 2. ONE store transaction: every own entry (active or revoked, status kept) gets a new signed version
///    whose tokens are re-derived from its sealed identifiers under the new key, so peers receive them
///    through the normal signed feed; watched accounts get their token under the new epoch;
///    `node_state.token_epoch` becomes the new epoch. Tokens are computed before the transaction; it
///    refuses (and the changeover retries) if any process changed the entries in between.
/// 3. The old key is kept as `token-key.epoch-N.json` (peers' entries are still under N until they move;
///    key maintenance retires it), and `.next` is renamed over `token-key.json`.
///
/// A kill before the commit leaves the store at N and a `.next` that ``resolveInterrupted(home:store:)``
/// deletes on the next open; a kill after it leaves the store at the new epoch and a `.next` it installs.
package struct TokenEpochChangeover {
    let context: NodeContext
    /// The key of the epoch to move to (its fingerprint already checked against the coordinator's).
    let target: AllianceTokenKey
    var threads = 2
    var clock: @Sendable () -> Int64 = { NodeClock.nowMillis() }

    /// What a changeover did: counts only.
    package struct Outcome: Sendable, Equatable {
        package var fromEpoch: UInt32
        package var toEpoch: UInt32
        package var ownEntries = 0
        package var ownRevoked = 0
        package var ownTokens = 0
        package var watched = 0
        package var firstSeq: UInt64 = 0
        package var lastSeq: UInt64 = 0
        /// How long the store transaction held the write lock.
        package var transactionMillis = 0
    }

    /// Moves; a refusal or failure is audited too (`token-key.changeover`, outcome refused/error, a reason code).
    func run() throws(NodeError) -> Outcome {
        do {
            return try perform()
        } catch {
            let refused = error.code == .configuration
            context.audit.append(AuditEvent(actor: AuditEvent.localActor, role: .local, action: "token-key.changeover",
                                            outcome: refused ? .refused : .error,
                                            detail: ["to_epoch": .count(Int(target.epoch)),
                                                     "reason": .code(refused ? "not-movable" : "failed")]))
            throw error
        }
    }

    private func perform() throws(NodeError) -> Outcome {
        guard context.config.scheme == .keyedHash else {
            throw .configuration("this node uses the pairwise scheme: the alliance keyed-hash key does not apply")
        }
        let lock = try FileLock.acquire(context.home.tokenKeyLockFile)
        defer { withExtendedLifetime(lock) {} }
        let current = try NodeKeys.loadTokenKey(context.home.tokenKeyFile)
        guard target.epoch > current.epoch else {
            throw .configuration("this node is already at token key epoch \(current.epoch) (asked to move to \(target.epoch))")
        }
        guard context.config.keepSealedIdentifiers else {
            throw .configuration("""
                cannot move to token key epoch \(target.epoch): this node keeps no sealed identifiers (keepSealedIdentifiers \
                is false in node.json), so its own entries cannot be re-tokenised; set it to true and re-import them
                """)
        }
        let member = context.member
        let unsealed = try context.store.read { db in
            try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM entries e LEFT JOIN sealed_identifiers s ON s.entry = e.id
                WHERE e.origin = ? AND s.entry IS NULL
                """, arguments: [member]) ?? 0
        }
        guard unsealed == 0 else {
            throw .configuration("""
                cannot move to token key epoch \(target.epoch): \(unsealed) of this node's own entries have no sealed \
                identifiers (imported while keepSealedIdentifiers was false); re-import them first
                """)
        }
        try TokenKeyFiles.save(target, to: context.home.tokenKeyNextFile)
        var outcome: Outcome?
        do throws(NodeError) {
            for _ in 0..<5 {
                let snapshot = try Snapshot.read(context.store, member: member)
                let plan = try Plan(snapshot: snapshot, key: target, seal: IdentifierSeal(key: context.keys.sealKey), threads: threads)
                if let done = try commit(plan, snapshot: snapshot, from: current.epoch) {
                    outcome = done
                    break
                }
            }
        } catch {
            try? FileManager.default.removeItem(at: context.home.tokenKeyNextFile)
            throw error
        }
        guard let outcome else {
            try? FileManager.default.removeItem(at: context.home.tokenKeyNextFile)
            throw .store("the entries kept changing during the changeover (5 attempts); nothing was changed, it is tried again next round")
        }
        try Self.install(context.home)
        context.audit.append(AuditEvent(
            actor: AuditEvent.localActor, role: .local, action: "token-key.changeover", outcome: .ok,
            detail: ["from_epoch": .count(Int(outcome.fromEpoch)), "to_epoch": .count(Int(outcome.toEpoch)),
                     "own_entries": .count(outcome.ownEntries), "own_tokens": .count(outcome.ownTokens),
                     "watched": .count(outcome.watched), "transaction_ms": .millis(outcome.transactionMillis)]))
        context.logger.notice("moved to the alliance's new token key epoch", metadata: [
            "from_epoch": "\(outcome.fromEpoch)", "to_epoch": "\(outcome.toEpoch)", "own_entries": "\(outcome.ownEntries)",
            "watched": "\(outcome.watched)", "transaction_ms": "\(outcome.transactionMillis)"])
        return outcome
    }

    /// The transaction; nil when the entries changed since `snapshot` (the caller retries).
    private func commit(_ plan: Plan, snapshot: Snapshot, from: UInt32) throws(NodeError) -> Outcome? {
        let member = context.member
        let signingKey = context.keys.signingKey
        let target = target
        let now = clock()
        let home = context.home
        let base = WatchKeys(context: context)
        let watchKeys = WatchKeys(member: member, scheme: .keyedHash, sealKey: context.keys.sealKey,
                                  tokenizer: KeyedHashTokenizer(key: target), pairwiseKey: nil, heldTokenizers: base.heldTokenizers)
        let threads = threads
        let started = ContinuousClock.now
        let result = try context.store.write { db -> Outcome? in
            guard try EntriesVersion.current(db) == snapshot.entriesVersion else { return nil }
            try TokenEpochs.ensureOwn(db, is: from)
            var outcome = Outcome(fromEpoch: from, toEpoch: target.epoch)
            let reissued = try OwnEntryReissue(member: member, signingKey: signingKey, scheme: target.descriptor, at: now)
                .run(snapshot.own.map(\.event), tokens: plan.ownTokens, db)
            outcome.ownEntries = reissued.entries
            outcome.ownRevoked = reissued.revoked
            outcome.ownTokens = reissued.tokens
            outcome.firstSeq = reissued.firstSeq
            outcome.lastSeq = reissued.lastSeq
            try TokenEpochs.setOwn(db, target.epoch)
            // Watched accounts get their token under the new epoch here, in this transaction (the old
            // epoch's are kept until it is retired), and are matched with entries already under it.
            if try WatchState.isWatching(db) {
                outcome.watched = try WatchAccounts.count(db)
                _ = try WatchOwnDomain.ensure(db, keys: watchKeys, at: now, threads: threads, policy: { try MeasuresPolicy.load(from: home) })
            }
            try TokenEpochs.noteAcquired(db, epoch: target.epoch, fingerprint: target.fingerprint, at: now)
            try EntriesVersion.bump(db)
            return outcome
        }
        guard var outcome = result else { return nil }
        outcome.transactionMillis = PairwiseKeyRotation.millis(since: started)
        return outcome
    }

    /// Keeps the old own key as `token-key.epoch-N.json`, renames `.next` over `token-key.json`, and
    /// drops a `token-key.epoch-M.json` of the new epoch (key maintenance may have fetched it before).
    static func install(_ home: NodeHome) throws(NodeError) {
        let next = try NodeKeys.loadTokenKey(home.tokenKeyNextFile)
        let current = try NodeKeys.loadTokenKey(home.tokenKeyFile)
        if current.epoch != next.epoch, !FileManager.default.fileExists(atPath: home.tokenKeyEpochFile(current.epoch).path) {
            try TokenKeyFiles.save(current, to: home.tokenKeyEpochFile(current.epoch))
        }
        try TokenKeyFiles.install(home.tokenKeyNextFile, over: home.tokenKeyFile)
        try? FileManager.default.removeItem(at: home.tokenKeyEpochFile(next.epoch))
    }
}

extension TokenEpochChangeover {
    /// Finishes or undoes a changeover a kill interrupted, scrubs the key files of retired epochs, and
    /// checks that `token-key.json` and the store are in step. Call before loading the keys. Leaves
    /// everything alone while a changeover or retirement runs in another process (it holds the lock).
    static func resolveInterrupted(home: NodeHome, store: NodeStore) throws(NodeError) {
        guard let lock = try? FileLock.tryAcquire(home.tokenKeyLockFile) else { return }
        defer { withExtendedLifetime(lock) {} }
        // A key file whose atomic write a kill interrupted (`.token-key….tmp`) was never used; it holds a key.
        let names = (try? FileManager.default.contentsOfDirectory(atPath: home.keysDirectory.path)) ?? []
        for name in names where name.hasPrefix(".token-key") && name.hasSuffix(".tmp") {
            TokenKeyFiles.scrub(home.keysDirectory.appendingPathComponent(name))
        }
        let stored = try store.read { db in try TokenEpochs.own(db) }
        if FileManager.default.fileExists(atPath: home.tokenKeyNextFile.path) {
            let next = try? NodeKeys.loadTokenKey(home.tokenKeyNextFile)
            if let next, let stored, stored == next.epoch {
                try install(home)  // the changeover committed: its key becomes the own key
            } else {
                try? FileManager.default.removeItem(at: home.tokenKeyNextFile)  // it did not: forget the new key
            }
        }
        let retired = try store.read { db in try TokenEpochs.retired(db) }
        for epoch in TokenKeyFiles.epochFiles(home) where retired.contains(epoch) {
            TokenKeyFiles.scrub(home.tokenKeyEpochFile(epoch))  // a retirement committed before its file went
        }
        guard let stored else { return }
        let current = try NodeKeys.loadTokenKey(home.tokenKeyFile)
        guard current.epoch == stored else {
            throw .configuration("""
                \(home.tokenKeyFile.path) holds token key epoch \(current.epoch) but this node's entries are under epoch \
                \(stored): the key file and the store are out of step (restore the matching key file)
                """)
        }
    }
}

extension TokenEpochChangeover {
    /// The own entries a changeover re-issues, read in one read transaction.
    struct Snapshot {
        var entriesVersion: Int64 = 0
        var own: [OwnEntryReissue.Sealed] = []

        static func read(_ store: NodeStore, member: String) throws(NodeError) -> Snapshot {
            try store.read { db in
                Snapshot(entriesVersion: try EntriesVersion.current(db), own: try OwnEntryReissue.readOwn(db, member: member))
            }
        }
    }

    /// The own entries' tokens under the new key, from their sealed identifiers, on `threads` threads.
    struct Plan {
        var ownTokens: [[Token]] = []

        init(snapshot: Snapshot, key: AllianceTokenKey, seal: IdentifierSeal, threads: Int) throws(NodeError) {
            let (identifiers, counts) = try OwnEntryReissue.identifiers(of: snapshot.own, seal: seal)
            let flat = KeyedHashTokenizer(key: key).tokensInParallel(for: identifiers, threads: threads)
            ownTokens = OwnEntryReissue.split(flat, counts)
        }
    }
}
