import ExchangeProtocol
import Foundation
import GRDB

/// What the store knows of an entry before a change is applied.
struct ExistingEntry {
    let rowID: Int64
    let seq: UInt64
    let version: UInt32
    let status: EntryStatus
}

/// Writes entries and their tokens with prepared statements, inside a caller's transaction.
struct EntryTable {
    private let select: RawStatement
    private let upsert: RawStatement
    private let deleteTokens: RawStatement
    private let insertToken: RawStatement
    private let upsertSealed: RawStatement

    init(_ db: Database) throws {
        select = try RawStatement(db, "SELECT id, seq, version, status FROM entries WHERE origin = ? AND entry_id = ?")
        upsert = try RawStatement(db, """
            INSERT INTO entries (origin, entry_id, seq, version, status, revocation_reason, list, category, severity,
                                 role, listed_on, expires_on, scheme, epoch, changed_at, event_digest, event)
            VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)
            ON CONFLICT (origin, entry_id) DO UPDATE SET
                seq = excluded.seq, version = excluded.version, status = excluded.status,
                revocation_reason = excluded.revocation_reason, list = excluded.list, category = excluded.category,
                severity = excluded.severity, role = excluded.role, listed_on = excluded.listed_on,
                expires_on = excluded.expires_on, scheme = excluded.scheme, epoch = excluded.epoch,
                changed_at = excluded.changed_at, event_digest = excluded.event_digest, event = excluded.event
            RETURNING id
            """)
        deleteTokens = try RawStatement(db, "DELETE FROM entry_tokens WHERE entry = ?")
        insertToken = try RawStatement(db, "INSERT INTO entry_tokens (entry, token) VALUES (?, ?)")
        upsertSealed = try RawStatement(db, "INSERT OR REPLACE INTO sealed_identifiers (entry, sealed) VALUES (?, ?)")
    }

    func existing(origin: String, entryID: String) throws -> ExistingEntry? {
        defer { select.reset() }
        select.bind(1, origin)
        select.bind(2, entryID)
        guard try select.step() else { return nil }
        return ExistingEntry(
            rowID: select.int64(0), seq: UInt64(select.int64(1)), version: UInt32(select.int64(2)),
            status: EntryStatus(code: UInt8(select.int64(3))) ?? .active
        )
    }

    /// Inserts or replaces the entry's row and its tokens; returns its row id. `indexTokens` are the
    /// values screening looks up (the pairwise scheme's locally re-masked tokens); default: the
    /// event's own tokens.
    @discardableResult
    func write(
        _ event: EntryEvent, canonical: [UInt8], digest: [UInt8], replacingTokensOf existing: ExistingEntry?,
        sealed: [UInt8]? = nil, indexTokens: [Token]? = nil
    ) throws -> Int64 {
        upsert.bind(1, event.origin)
        upsert.bind(2, event.entryID)
        upsert.bind(3, Int64(event.seq))
        upsert.bind(4, Int64(event.version))
        upsert.bind(5, Int64(event.status.code))
        upsert.bind(6, event.revocationReason.map { Int64($0.code) })
        upsert.bind(7, Int64(event.list.code))
        upsert.bind(8, Int64(event.category.code))
        upsert.bind(9, Int64(event.severity.rawValue))
        upsert.bind(10, event.role.map { Int64($0.code) })
        upsert.bind(11, Int64(event.listedOn.ordinal))
        upsert.bind(12, event.expiresOn.map { Int64($0.ordinal) })
        upsert.bind(13, Int64(event.scheme.scheme.code))
        upsert.bind(14, Int64(event.scheme.epoch))
        upsert.bind(15, event.changedAt)
        upsert.bind(16, blob: digest)
        upsert.bind(17, blob: canonical)
        guard try upsert.step() else { upsert.reset(); throw NodeError.store("upsert returned no row") }
        let rowID = upsert.int64(0)
        upsert.reset()
        if existing != nil {
            deleteTokens.bind(1, rowID)
            try deleteTokens.run()
        }
        var bytes = [UInt8](repeating: 0, count: 32)
        for token in indexTokens ?? event.tokens {
            Self.fill(&bytes, with: token)
            insertToken.bind(1, rowID)
            insertToken.bind(2, blob: bytes)
            try insertToken.run()
        }
        if let sealed {
            upsertSealed.bind(1, rowID)
            upsertSealed.bind(2, blob: sealed)
            try upsertSealed.run()
        }
        return rowID
    }

    static func fill(_ bytes: inout [UInt8], with token: Token) {
        for (wordIndex, word) in [token.w0, token.w1, token.w2, token.w3].enumerated() {
            for byteIndex in 0..<8 {
                bytes[wordIndex * 8 + byteIndex] = UInt8(truncatingIfNeeded: word >> UInt64(56 - byteIndex * 8))
            }
        }
    }
}
