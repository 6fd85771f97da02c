import ExchangeProtocol
import Foundation
import GRDB

/// Writes entries and their tokens with prepared statements, inside a caller's transaction, and
/// keeps the anti-entropy ledger in step: call ``finish()`` before the transaction commits.
struct EntryTable {
    private let db: Database
    private let digests = DigestLedger()
    private let select: RawStatement
    private let insert: RawStatement
    private let update: RawStatement
    private let storedTokens: RawStatement
    private let deleteToken: RawStatement
    private let insertToken: RawStatement
    private let upsertSealed: RawStatement

    init(_ db: Database) throws {
        self.db = db
        select = try RawStatement(db, "SELECT id, seq, version, status, list, category, event_digest FROM entries WHERE origin = ? AND entry_id = ?")
        insert = try RawStatement(db, """
            INSERT INTO entries (seq, version, status, revocation_reason, list, category, severity, role, listed_on,
                                 expires_on, scheme, epoch, changed_at, event_digest, event, index_tokens, origin, entry_id)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)
            ON CONFLICT (origin, entry_id) DO NOTHING
            """)
        update = try RawStatement(db, """
            UPDATE entries SET seq = ?1, version = ?2, status = ?3, revocation_reason = ?4, list = ?5, category = ?6,
                severity = ?7, role = ?8, listed_on = ?9, expires_on = ?10, scheme = ?11, epoch = ?12, changed_at = ?13,
                event_digest = ?14, event = ?15, index_tokens = ?16
            WHERE id = ?17
            """)
        storedTokens = try RawStatement(db, "SELECT index_tokens, event FROM entries WHERE id = ?")
        deleteToken = try RawStatement(db, "DELETE FROM entry_tokens WHERE token = ? AND entry = ?")
        insertToken = try RawStatement(db, "INSERT OR IGNORE INTO entry_tokens (token, entry) VALUES (?, ?)")
        upsertSealed = try RawStatement(db, "INSERT OR REPLACE INTO sealed_identifiers (entry, sealed) VALUES (?, ?)")
    }

    func existing(origin: String, entryID: String) throws -> ExistingEntry? {
        defer { select.reset() }
        select.bind(1, origin)
        select.bind(2, entryID)
        guard try select.step() else { return nil }
        return ExistingEntry(
            rowID: select.int64(0), seq: UInt64(select.int64(1)), version: UInt32(select.int64(2)),
            status: EntryStatus(code: UInt8(select.int64(3))) ?? .active,
            list: select.int64(4), category: select.int64(5), eventDigest: select.blob(6)
        )
    }

    /// Writes the anti-entropy ledger's share of what this table wrote. Call before the transaction commits.
    func finish() throws {
        try digests.flush(db)
    }

    /// Inserts or replaces the entry's row and its tokens; returns its row id. `indexTokens` are the
    /// values screening looks up when they differ from the event's own tokens (the pairwise
    /// scheme's locally re-masked tokens); they are then also kept in `entries.index_tokens`.
    @discardableResult
    func write(
        _ event: EntryEvent, canonical: [UInt8], digest: [UInt8], replacingTokensOf existing: ExistingEntry?,
        sealed: [UInt8]? = nil, indexTokens: [Token]? = nil
    ) throws -> Int64 {
        if let existing { try deleteTokens(ofRow: existing.rowID) }
        guard let rowID = try store(event, canonical: canonical, digest: digest, over: existing, sealed: sealed,
                                    indexTokens: indexTokens) else {
            throw NodeError.store("entry \(event.entryID) of \(event.origin) is already stored")
        }
        return rowID
    }

    /// Writes an entry that is not stored yet without looking it up first (the bulk paths, where
    /// most entries are new); returns false, having written nothing, when (origin, entry_id) exists.
    func writeIfNew(
        _ event: EntryEvent, canonical: [UInt8], digest: [UInt8], sealed: [UInt8]? = nil, indexTokens: [Token]? = nil
    ) throws -> Bool {
        try store(event, canonical: canonical, digest: digest, over: nil, sealed: sealed, indexTokens: indexTokens) != nil
    }

    /// A new entry is an INSERT that does nothing on a conflict (its row id is the connection's last
    /// insert), a new version an UPDATE of the known row: cheaper than an upsert with RETURNING.
    /// Returns nil when the insert met an existing row.
    private func store(
        _ event: EntryEvent, canonical: [UInt8], digest: [UInt8], over existing: ExistingEntry?,
        sealed: [UInt8]?, indexTokens: [Token]?
    ) throws -> Int64? {
        let tokens = indexTokens ?? event.tokens
        let statement = existing == nil ? insert : update
        statement.bind(1, Int64(event.seq))
        statement.bind(2, Int64(event.version))
        statement.bind(3, Int64(event.status.code))
        statement.bind(4, event.revocationReason.map { Int64($0.code) })
        statement.bind(5, Int64(event.list.code))
        statement.bind(6, Int64(event.category.code))
        statement.bind(7, Int64(event.severity.rawValue))
        statement.bind(8, event.role.map { Int64($0.code) })
        statement.bind(9, Int64(event.listedOn.ordinal))
        statement.bind(10, event.expiresOn.map { Int64($0.ordinal) })
        statement.bind(11, Int64(event.scheme.scheme.code))
        statement.bind(12, Int64(event.scheme.epoch))
        statement.bind(13, event.changedAt)
        statement.bind(14, blob: digest)
        statement.bind(15, blob: canonical)
        if indexTokens != nil { statement.bind(16, blob: Self.concatenated(tokens)) } else { statement.bindNull(16) }
        let rowID: Int64
        if let existing {
            statement.bind(17, existing.rowID)
            try statement.run()
            rowID = existing.rowID
            digests.remove(origin: event.origin, list: existing.list, category: existing.category, seq: existing.seq,
                           eventDigest: existing.eventDigest)
        } else {
            statement.bind(17, event.origin)
            statement.bind(18, event.entryID)
            try statement.run()
            guard statement.changedRows == 1 else { return nil }
            rowID = statement.lastInsertedRowID
        }
        digests.add(origin: event.origin, list: Int64(event.list.code), category: Int64(event.category.code), seq: event.seq,
                    eventDigest: digest)
        var bytes = [UInt8](repeating: 0, count: 32)
        for token in tokens {
            Self.fill(&bytes, with: token)
            insertToken.bind(1, blob: bytes)
            insertToken.bind(2, rowID)
            try insertToken.run()
        }
        if let sealed {
            upsertSealed.bind(1, rowID)
            upsertSealed.bind(2, blob: sealed)
            try upsertSealed.run()
        }
        return rowID
    }

    /// Removes the `entry_tokens` rows of a stored entry. The table is keyed by (token, entry) for
    /// lookups by token, so the entry's tokens are read back from its row: `index_tokens` when
    /// set, else the tokens of its stored event.
    private func deleteTokens(ofRow rowID: Int64) throws {
        storedTokens.bind(1, rowID)
        guard try storedTokens.step() else { storedTokens.reset(); return }
        let local = storedTokens.isNull(0) ? nil : storedTokens.blob(0)
        let event = local == nil ? storedTokens.blob(1) : []
        storedTokens.reset()
        let tokens: [[UInt8]]
        if let local {
            tokens = stride(from: 0, to: local.count - local.count % 32, by: 32).map { Array(local[$0..<$0 + 32]) }
        } else {
            do {
                tokens = try EntryEvent(canonical: event).tokens.map(\.bytes)
            } catch {
                throw NodeError.store("stored event of entry row \(rowID) does not decode", underlying: error)
            }
        }
        for token in tokens {
            deleteToken.bind(1, blob: token)
            deleteToken.bind(2, rowID)
            try deleteToken.run()
        }
    }

    /// The tokens' 32-byte values, back to back.
    static func concatenated(_ tokens: [Token]) -> [UInt8] {
        var bytes = [UInt8]()
        bytes.reserveCapacity(tokens.count * 32)
        for token in tokens { bytes.append(contentsOf: token.bytes) }
        return bytes
    }

    static func fill(_ bytes: inout [UInt8], with token: Token) {
        for (wordIndex, word) in [token.w0, token.w1, token.w2, token.w3].enumerated() {
            for byteIndex in 0..<8 {
                bytes[wordIndex * 8 + byteIndex] = UInt8(truncatingIfNeeded: word >> UInt64(56 - byteIndex * 8))
            }
        }
    }
}
