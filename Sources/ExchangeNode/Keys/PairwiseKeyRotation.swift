import Crypto
import ExchangeAudit
import ExchangeCrypto
import ExchangeProtocol
import ExchangeRuntime
import Foundation
import GRDB

/// Rotates this node's pairwise (ecdh-x25519) key from epoch N to N+1.
///
/// 1. The new key is written to `keys/ecdh.key.next` (0600, atomically).
/// 2. ONE store transaction: every own entry (active or revoked, status kept) gets a new signed
///    version whose tokens are `X25519(new, H(y))`, re-derived from its sealed identifiers, so peers
///    receive them on their next sync through the normal signed feed; every peer pairwise entry's
///    index tokens are re-masked locally from its stored event, so this node's own screening keeps
///    working at once; `node_state.pairwise_epoch` becomes N+1. Deleted content is zeroed
///    (`secure_delete`), so old-epoch tokens do not linger in free pages.
/// 3. `.next` is renamed over `keys/ecdh.key` (the old key is gone), and the WAL is checkpointed and
///    truncated (old page images go with it).
///
/// A kill before the commit leaves the store at N and a `.next` that ``resolveInterrupted(home:store:)``
/// deletes on the next open; a kill after it leaves the store at N+1 and a `.next` that it renames.
/// Tokens are computed outside the write transaction; the transaction refuses (and the rotation
/// retries) if any process changed the entries (or the watched base) in between.
package struct PairwiseKeyRotation {
    let context: NodeContext
    var threads = 2
    var clock: @Sendable () -> Int64 = { NodeClock.nowMillis() }
    /// Who asked: the operator (`keys rotate`) or the member's systems (`POST /v1/keys/rotate`).
    var auditRole: AuditRole = .operator

    package init(context: NodeContext, clock: @escaping @Sendable () -> Int64 = { NodeClock.nowMillis() }) {
        self.context = context
        self.clock = clock
    }

    /// What a rotation did: counts only.
    package struct Outcome: Sendable, Equatable {
        package var fromEpoch: UInt32
        package var toEpoch: UInt32
        package var ownEntries = 0
        package var ownRevoked = 0
        package var ownTokens = 0
        package var peerEntries = 0
        package var peerTokens = 0
        package var firstSeq: UInt64 = 0
        package var lastSeq: UInt64 = 0
        /// False when another process kept the WAL from being truncated (its pages are overwritten on the next checkpoint).
        package var walTruncated = true
        /// How long the store transaction held the write lock (masking waits for it, nothing fails).
        package var transactionMillis = 0
    }

    /// Rotates; a refusal or failure is audited too (`keys.rotate`, outcome refused/error, a reason code).
    package func rotate() throws(NodeError) -> Outcome {
        do {
            return try perform()
        } catch {
            let refused = error.code == .configuration
            context.audit.append(AuditEvent(actor: AuditEvent.localActor, role: auditRole, action: "keys.rotate",
                                            outcome: refused ? .refused : .error,
                                            detail: ["reason": .code(refused ? "not-rotatable" : "failed")]))
            throw error
        }
    }

    private func perform() throws(NodeError) -> Outcome {
        guard context.config.scheme == .ecdhX25519, context.keys.pairwiseKey != nil else {
            throw .configuration("this node does not use the pairwise (ecdh-x25519) scheme: there is no pairwise key to rotate")
        }
        guard context.config.keepSealedIdentifiers else {
            throw .configuration("""
                cannot rotate the pairwise key: this node keeps no sealed identifiers (keepSealedIdentifiers is false in \
                node.json), so its own entries' tokens cannot be re-derived under a new key; set it to true and re-import \
                the entries first
                """)
        }
        let lock = try FileLock.acquire(context.home.ecdhLockFile)
        defer { withExtendedLifetime(lock) {} }
        // The key the store is in step with now: a running `serve` may have rotated since this context loaded its key.
        let old: PairwiseMaskingKey
        do {
            old = try context.store.read { db in try context.pairwise.current(db) }
        } catch {
            throw .configuration("the pairwise key file and the store are out of step", underlying: error)
        }
        guard old.epoch < UInt32.max else { throw .configuration("the pairwise key epoch cannot go beyond \(UInt32.max)") }
        let member = context.member
        let unsealed = try context.store.read { db in
            try Int.fetchOne(db, sql: """
                SELECT COUNT(*) FROM entries e LEFT JOIN sealed_identifiers s ON s.entry = e.id
                WHERE e.origin = ? AND s.entry IS NULL
                """, arguments: [member]) ?? 0
        }
        guard unsealed == 0 else {
            throw .configuration("""
                cannot rotate the pairwise key: \(unsealed) of this node's own entries have no sealed identifiers (they were \
                imported while keepSealedIdentifiers was false), so their tokens cannot be re-derived under a new key; \
                re-import them first
                """)
        }
        let new = PairwiseMaskingKey.generate(epoch: old.epoch + 1)
        try PairwiseKeyFile.write(new, to: context.home.ecdhNextKeyFile)
        var outcome: Outcome?
        do throws(NodeError) {
            for _ in 0..<5 {
                let snapshot = try Snapshot.read(context.store, member: member, seal: IdentifierSeal(key: context.keys.sealKey))
                let plan = try Plan(snapshot: snapshot, key: new, seal: IdentifierSeal(key: context.keys.sealKey), threads: threads)
                if let done = try commit(plan, snapshot: snapshot, old: old, new: new) {
                    outcome = done
                    break
                }
            }
        } catch {
            // Nothing was committed: the new key was never used.
            try? FileManager.default.removeItem(at: context.home.ecdhNextKeyFile)
            throw error
        }
        guard var outcome else {
            try? FileManager.default.removeItem(at: context.home.ecdhNextKeyFile)
            throw .store("the entries kept changing during the rotation (5 attempts); nothing was rotated, try again")
        }
        do {
            try Self.install(context.home)
        } catch {
            throw .fileUnwritable(context.home.ecdhKeyFile.path, reason: """
                the store was rotated to epoch \(new.epoch) but its key is still in \(context.home.ecdhNextKeyFile.lastPathComponent): \
                the next command that opens this home installs it (\(error))
                """)
        }
        outcome.walTruncated = Self.truncateWAL(context.store)
        context.audit.append(AuditEvent(
            actor: AuditEvent.localActor, role: auditRole, action: "keys.rotate", outcome: .ok,
            detail: ["from_epoch": .count(Int(outcome.fromEpoch)), "to_epoch": .count(Int(outcome.toEpoch)),
                     "own_entries": .count(outcome.ownEntries), "own_tokens": .count(outcome.ownTokens),
                     "peer_entries": .count(outcome.peerEntries), "peer_tokens": .count(outcome.peerTokens),
                     "transaction_ms": .millis(outcome.transactionMillis)]))
        context.logger.notice("pairwise key rotated", metadata: [
            "from_epoch": "\(outcome.fromEpoch)", "to_epoch": "\(outcome.toEpoch)",
            "own_entries": "\(outcome.ownEntries)", "peer_entries": "\(outcome.peerEntries)",
            "transaction_ms": "\(outcome.transactionMillis)"])
        return outcome
    }

    /// The transaction; nil when the entries changed since `snapshot` (the caller retries).
    private func commit(_ plan: Plan, snapshot: Snapshot, old: PairwiseMaskingKey, new: PairwiseMaskingKey) throws(NodeError) -> Outcome? {
        let member = context.member
        let signingKey = context.keys.signingKey
        let now = clock()
        let started = ContinuousClock.now
        let committed = try context.store.write { db -> Outcome? in
            guard try EntriesVersion.current(db) == snapshot.entriesVersion,
                  try WatchState.version(db) == snapshot.watch.version else { return nil }
            try PairwiseKeyEpoch.ensureInStep(db, with: old)
            var outcome = Outcome(fromEpoch: old.epoch, toEpoch: new.epoch)
            let reissued = try OwnEntryReissue(member: member, signingKey: signingKey, scheme: new.descriptor, at: now)
                .run(snapshot.own.map(\.event), tokens: plan.ownTokens, db)
            outcome.ownEntries = reissued.entries
            outcome.ownRevoked = reissued.revoked
            outcome.ownTokens = reissued.tokens
            outcome.firstSeq = reissued.firstSeq
            outcome.lastSeq = reissued.lastSeq
            let table = try EntryTable(db)
            for (peer, tokens) in zip(snapshot.peers, plan.peerTokens) {
                // The same row (event, digest, metadata) with its index tokens re-masked under the new key.
                let existing = try table.existing(origin: peer.event.origin, entryID: peer.event.entryID)
                try table.write(peer.event, canonical: peer.canonical, digest: peer.digest, replacingTokensOf: existing,
                                indexTokens: tokens)
                outcome.peerEntries += 1
                outcome.peerTokens += tokens.count
            }
            try table.finish()
            // The watched base: own values re-derived, every peer's coverage to be asked again.
            _ = try WatchRekey.rotate(db, member: member, epoch: new.epoch, snapshot: snapshot.watch, values: plan.watchValues, at: now)
            try EntriesVersion.bump(db)
            try PairwiseKeyEpoch.set(db, new.epoch)
            return outcome
        }
        guard var outcome = committed else { return nil }
        outcome.transactionMillis = Self.millis(since: started)
        return outcome
    }

    /// Whole milliseconds since `start`.
    static func millis(since start: ContinuousClock.Instant) -> Int {
        let elapsed = ContinuousClock.now - start
        return Int(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
    }

    /// Renames `keys/ecdh.key.next` over `keys/ecdh.key` and makes the rename durable.
    static func install(_ home: NodeHome) throws(NodeError) {
        try TokenKeyFiles.install(home.ecdhNextKeyFile, over: home.ecdhKeyFile)
    }

    /// Checkpoints and truncates the WAL, so page images holding old-epoch tokens leave the disk.
    static func truncateWAL(_ store: NodeStore) -> Bool {
        do {
            return try store.pool.writeWithoutTransaction { db in
                let row = try GRDB.Row.fetchOne(db, sql: "PRAGMA wal_checkpoint(TRUNCATE)")
                return (row?[0] as Int?) == 0
            }
        } catch {
            return false
        }
    }
}

extension PairwiseKeyRotation {
    /// Finishes or undoes a rotation a kill interrupted, then checks that `keys/ecdh.key` and the
    /// store are in step. Call before loading the keys. Leaves everything alone while a rotation
    /// runs in another process (it holds the lock).
    static func resolveInterrupted(home: NodeHome, store: NodeStore) throws(NodeError) {
        let leftovers = temporaryNextFiles(home)
        if FileManager.default.fileExists(atPath: home.ecdhNextKeyFile.path) || !leftovers.isEmpty {
            guard let lock = try? FileLock.tryAcquire(home.ecdhLockFile) else { return }  // a rotation is running
            defer { withExtendedLifetime(lock) {} }
            for file in leftovers { try? FileManager.default.removeItem(at: file) }
            if FileManager.default.fileExists(atPath: home.ecdhNextKeyFile.path) {
                let stored = try store.read { db in try PairwiseKeyEpoch.get(db) }
                let next = try? PairwiseKeyFile.loadIfPresent(home.ecdhNextKeyFile)
                if let next, let stored, stored == next.epoch {
                    try install(home)  // the rotation committed: its key becomes the key
                } else {
                    try? FileManager.default.removeItem(at: home.ecdhNextKeyFile)  // it did not: forget the new key
                }
            }
        }
        guard let stored = try store.read({ db in try PairwiseKeyEpoch.get(db) }) else { return }
        guard let current = try PairwiseKeyFile.loadIfPresent(home.ecdhKeyFile) else {
            throw .configuration("the store was rotated to pairwise key epoch \(stored) but \(home.ecdhKeyFile.path) is missing")
        }
        guard current.epoch == stored else {
            throw .configuration("""
                \(home.ecdhKeyFile.path) holds pairwise key epoch \(current.epoch) but the store's tokens are of epoch \(stored): \
                the key file and the store are out of step (restore the matching key file)
                """)
        }
    }

    /// `.ecdh.key.next.*.tmp`: a `.next` whose atomic write a kill interrupted (never used).
    private static func temporaryNextFiles(_ home: NodeHome) -> [URL] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: home.keysDirectory.path)) ?? []
        return names.filter { $0.hasPrefix(".ecdh.key.next.") && $0.hasSuffix(".tmp") }
            .map { home.keysDirectory.appendingPathComponent($0) }
    }
}

extension PairwiseKeyRotation {
    /// The rows a rotation re-derives, read in one read transaction.
    struct Snapshot {
        struct Peer {
            let event: EntryEvent
            let canonical: [UInt8]
            let digest: [UInt8]
        }

        var entriesVersion: Int64 = 0
        var own: [OwnEntryReissue.Sealed] = []
        var peers: [Peer] = []
        /// The watched accounts, re-derived under the new key too (Watch/WatchRekey.swift).
        var watch = WatchRekey.Snapshot()

        static func read(_ store: NodeStore, member: String, seal: IdentifierSeal) throws(NodeError) -> Snapshot {
            try store.read { db in
                var snapshot = Snapshot()
                snapshot.entriesVersion = try EntriesVersion.current(db)
                snapshot.own = try OwnEntryReissue.readOwn(db, member: member)
                let peers = try GRDB.Row.fetchCursor(db, sql: """
                    SELECT event, event_digest FROM entries WHERE origin != ? AND scheme = ? ORDER BY id
                    """, arguments: [member, Int64(TokenSchemeID.ecdhX25519.code)])
                while let row = try peers.next() {
                    let canonical = [UInt8](row[0] as Data)
                    snapshot.peers.append(Peer(event: try EntryEvent(canonical: canonical), canonical: canonical,
                                               digest: [UInt8](row[1] as Data)))
                }
                snapshot.watch = try WatchRekey.Snapshot.read(db, seal: seal)
                return snapshot
            }
        }
    }

    /// The new tokens: own entries' `X25519(new, H(y))` from their sealed identifiers, peers'
    /// index tokens `X25519(new, t)` from their events' tokens; computed on `threads` threads.
    struct Plan {
        var ownTokens: [[Token]] = []
        var peerTokens: [[Token]] = []
        var watchValues: [Token] = []

        init(snapshot: Snapshot, key: PairwiseMaskingKey, seal: IdentifierSeal, threads: Int) throws(NodeError) {
            let (identifiers, counts) = try OwnEntryReissue.identifiers(of: snapshot.own, seal: seal)
            let ownFlat = PairwiseTokenizer(key: key).tokensInParallel(for: identifiers, threads: threads)
            guard !ownFlat.contains(where: \.isZero) else { throw .store("an own identifier masked to the all-zero value") }
            ownTokens = OwnEntryReissue.split(ownFlat, counts)
            let peerFlat: [Token]
            do {
                peerFlat = try key.maskInParallel(snapshot.peers.flatMap(\.event.tokens), threads: threads)
            } catch {
                throw .store("re-masking peers' tokens", underlying: error)
            }
            peerTokens = OwnEntryReissue.split(peerFlat, snapshot.peers.map(\.event.tokens.count))
            do {
                watchValues = try snapshot.watch.values(with: key, threads: threads)
            } catch {
                throw .store("re-deriving the watched accounts' values: \(error)")
            }
        }
    }
}
