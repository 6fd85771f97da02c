import ExchangeCrypto
import ExchangeProtocol
import Foundation
import GRDB
import Testing

@testable import ExchangeNode

/// A store written with the first token layout (`entry_tokens` as a rowid table with indexes on
/// token and entry) is upgraded in place by `v3-token-layout`, and every path that reads or
/// replaces tokens works on the upgraded store.
@Suite("Store: token layout migration")
struct TokenLayoutMigrationTests {
    static func token(_ byte: UInt8) -> Token { Token(bytes: [UInt8](repeating: byte, count: 32))! }

    static func event(_ entryID: String, seq: UInt64, version: UInt32, scheme: TokenSchemeID, tokens: [Token]) -> EntryEvent {
        EntryEvent(origin: "alpha", seq: seq, entryID: entryID, version: version, status: .active, revocationReason: nil,
                   list: .black, category: .brushing, severity: .general, role: nil, listedOn: Day(parsing: "2026-01-01")!,
                   expiresOn: nil, scheme: TokenSchemeDescriptor(scheme: scheme, epoch: 1), tokens: tokens, changedAt: 1)
    }

    /// Writes an entry row and its tokens the way the first layout stored them.
    static func insertOldLayout(_ event: EntryEvent, indexTokens: [Token], _ db: Database) throws -> Int64 {
        let canonical = event.canonicalBytes()
        try db.execute(sql: """
            INSERT INTO entries (origin, entry_id, seq, version, status, list, category, severity, listed_on, scheme, epoch,
                                 changed_at, event_digest, event)
            VALUES (?, ?, ?, ?, 1, ?, ?, ?, ?, ?, 1, 1, ?, ?)
            """, arguments: [event.origin, event.entryID, Int64(event.seq), Int64(event.version), Int64(event.list.code),
                             Int64(event.category.code), Int64(event.severity.rawValue), Int64(event.listedOn.ordinal),
                             Int64(event.scheme.scheme.code), Data(event.digest), Data(canonical)])
        let row = db.lastInsertedRowID
        for token in indexTokens {
            try db.execute(sql: "INSERT INTO entry_tokens (entry, token) VALUES (?, ?)", arguments: [row, Data(token.bytes)])
        }
        return row
    }

    static func tokenRows(_ store: NodeStore) throws -> Set<String> {
        try store.read { db in
            Set(try Row.fetchAll(db, sql: "SELECT hex(token) AS t, entry FROM entry_tokens").map { "\($0["t"] as String)@\($0["entry"] as Int64)" })
        }
    }

    static func key(_ token: Token, _ row: Int64) -> String {
        token.bytes.map { String(format: "%02X", $0) }.joined() + "@\(row)"
    }

    @Test("old stores are upgraded; lookups, index load and replacement work on the new layout")
    func upgradesInPlace() throws {
        let path = NSTemporaryDirectory() + "xn-token-layout-\(UUID().uuidString).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }

        // 1. A store at the last migration before the new layout, holding a keyed-hash entry and a
        //    pairwise entry whose indexed (re-masked) token differs from its event's token.
        let keyedTokens = [Self.token(0x11), Self.token(0x22)]
        let eventToken = Self.token(0x33), remasked = Self.token(0x44)
        var keyedRow: Int64 = 0, pairwiseRow: Int64 = 0
        do {
            let pool = try DatabasePool(path: path)
            try StoreSchema.migrator.migrate(pool, upTo: "v2-masking")
            try pool.write { db in
                keyedRow = try Self.insertOldLayout(Self.event("K1", seq: 1, version: 1, scheme: .keyedHash, tokens: keyedTokens),
                                                    indexTokens: keyedTokens, db)
                pairwiseRow = try Self.insertOldLayout(Self.event("P1", seq: 2, version: 1, scheme: .ecdhX25519, tokens: [eventToken]),
                                                       indexTokens: [remasked], db)
            }
            try pool.close()
        }

        // 2. Opening it as a node store runs v3-token-layout.
        let store = try NodeStore(path: path)
        let schema = try store.read { db in try String.fetchOne(db, sql: "SELECT sql FROM sqlite_master WHERE name = 'entry_tokens'") }
        #expect(schema?.contains("WITHOUT ROWID") == true, "\(schema ?? "no table")")
        #expect(try Self.tokenRows(store) == [Self.key(keyedTokens[0], keyedRow), Self.key(keyedTokens[1], keyedRow),
                                              Self.key(remasked, pairwiseRow)])
        let kept = try store.read { db in
            try Row.fetchAll(db, sql: "SELECT id, index_tokens FROM entries ORDER BY id").map { ($0["id"] as Int64, $0["index_tokens"] as Data?) }
        }
        #expect(kept.first { $0.0 == keyedRow }?.1 == nil)
        #expect(kept.first { $0.0 == pairwiseRow }?.1 == Data(remasked.bytes))

        // 3. Screening's index load and the resolver's confirmation by (token, entry).
        let keyedIndex = try TokenIndex.load(from: store, scheme: .keyedHash, epoch: 1)
        #expect(keyedIndex.tokenCount == 2)
        let pairwiseIndex = try TokenIndex.load(from: store, scheme: .ecdhX25519, epoch: nil)
        var candidates: [UInt32] = []
        pairwiseIndex.forEachCandidate(for: remasked) { candidates.append($0) }
        #expect(candidates == [UInt32(pairwiseRow)])
        let resolver = EntryResolver(store: store)
        let resolved = try resolver.resolve([
            .init(row: UInt32(keyedRow), token: keyedTokens[1], origin: nil),
            .init(row: UInt32(pairwiseRow), token: remasked, origin: "alpha"),
            .init(row: UInt32(pairwiseRow), token: eventToken, origin: nil),
        ])
        #expect(resolved.map { $0?.entryID } == ["K1", "P1", nil])

        // 4. New versions replace the old tokens: read back from the event (keyed) or index_tokens (pairwise).
        let newKeyed = Self.token(0x55), newRemasked = Self.token(0x66)
        try store.write { db in
            let table = try EntryTable(db)
            let k1 = try #require(try table.existing(origin: "alpha", entryID: "K1"))
            let next = Self.event("K1", seq: 3, version: 2, scheme: .keyedHash, tokens: [newKeyed])
            try table.write(next, canonical: next.canonicalBytes(), digest: next.digest, replacingTokensOf: k1)
            let p1 = try #require(try table.existing(origin: "alpha", entryID: "P1"))
            let pairwise = Self.event("P1", seq: 4, version: 2, scheme: .ecdhX25519, tokens: [eventToken])
            try table.write(pairwise, canonical: pairwise.canonicalBytes(), digest: pairwise.digest, replacingTokensOf: p1,
                            indexTokens: [newRemasked])
        }
        #expect(try Self.tokenRows(store) == [Self.key(newKeyed, keyedRow), Self.key(newRemasked, pairwiseRow)])
    }
}
