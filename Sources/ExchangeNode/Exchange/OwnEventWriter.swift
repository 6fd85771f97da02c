import Crypto
import ExchangeProtocol
import Foundation
import GRDB

/// Records changes to this node's own entries as signed events, inside a caller's transaction:
/// assigns the next sequence numbers, writes the entries, and signs the new events' digests in
/// batches of ``batchSize`` with the node key.
struct OwnEventWriter {
    static let batchSize = 1024
    static let sequenceKey = "own_seq"

    let member: String
    let signingKey: P256.Signing.PrivateKey
    private let table: EntryTable
    private var nextSeq: UInt64
    private var pendingFirstSeq: UInt64 = 0
    private var pendingDigests: [[UInt8]] = []
    private let db: Database

    init(_ db: Database, member: String, signingKey: P256.Signing.PrivateKey) throws {
        self.db = db
        self.member = member
        self.signingKey = signingKey
        self.table = try EntryTable(db)
        // The one place that numbers this node's events: nothing is published while the node recovers
        // its feed from its peers after a restore (sequence numbers they hold must not be reused).
        try FeedRecoveryState.ensureNotPending(db)
        self.nextSeq = UInt64(try NodeState.get(db, Self.sequenceKey) ?? 0) + 1
    }

    /// Writes the next version of an entry. `make` receives the assigned sequence number and
    /// version and returns the event to record.
    @discardableResult
    mutating func record(
        entryID: String, sealed: [UInt8]? = nil, make: (_ seq: UInt64, _ version: UInt32) -> EntryEvent
    ) throws -> EntryEvent {
        let existing = try table.existing(origin: member, entryID: entryID)
        let event = make(nextSeq, (existing?.version ?? 0) + 1)
        let canonical = event.canonicalBytes()
        let digest = Array(SHA256.hash(data: canonical))
        try table.write(event, canonical: canonical, digest: digest, replacingTokensOf: existing, sealed: sealed)
        try appendPending(digest)
        return event
    }

    /// Queues the digest of the event just written at `nextSeq` for signing and moves to the next sequence.
    private mutating func appendPending(_ digest: [UInt8]) throws {
        if pendingDigests.isEmpty { pendingFirstSeq = nextSeq }
        pendingDigests.append(digest)
        nextSeq += 1
        if pendingDigests.count == Self.batchSize { try flushBatch() }
    }

    /// ``record(entryID:sealed:make:)`` for bulk imports, where most entries are new: tries to insert
    /// version 1 first and looks the entry up only when it is already stored.
    @discardableResult
    mutating func recordLikelyNew(
        entryID: String, sealed: [UInt8]? = nil, make: (_ seq: UInt64, _ version: UInt32) -> EntryEvent
    ) throws -> EntryEvent {
        let event = make(nextSeq, 1)
        let canonical = event.canonicalBytes()
        let digest = Array(SHA256.hash(data: canonical))
        guard try table.writeIfNew(event, canonical: canonical, digest: digest, sealed: sealed) else {
            return try record(entryID: entryID, sealed: sealed, make: make)
        }
        try appendPending(digest)
        return event
    }

    /// Signs what is pending and saves the sequence counter. Call before the transaction commits.
    mutating func finish() throws {
        try flushBatch()
        try table.finish()
        try NodeState.set(db, Self.sequenceKey, Int64(nextSeq - 1))
        try EntriesVersion.bump(db)
    }

    private mutating func flushBatch() throws {
        guard !pendingDigests.isEmpty else { return }
        let batch = try SignedBatch.sign(origin: member, firstSeq: pendingFirstSeq, digests: pendingDigests, key: signingKey)
        try BatchTable.insert(batch, db)
        pendingDigests.removeAll(keepingCapacity: true)
    }
}
