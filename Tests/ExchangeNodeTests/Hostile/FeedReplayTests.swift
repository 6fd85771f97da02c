import AllianceTestSupport
import Crypto
import ExchangeProtocol
import Foundation
import GRDB
import Testing

@testable import ExchangeNode

/// Replayed events across pages, at the applier (the step after the verifier): an event whose sequence is
/// not above the stored one for its entry is skipped, so a replay neither duplicates nor rolls back.
@Suite("Hostile: replayed feed events")
struct FeedReplayTests {
    /// Pages of origin `alpha` as its feed would carry them (signatures are not checked at the applier).
    static let forger = FeedForger(origin: "alpha", certificateDER: [0x30, 0x00], key: P256.Signing.PrivateKey(),
                                   tokenizer: KeyedHashTokenizer(key: .generate(epoch: 1, created: "replay")))

    static func event(seq: UInt64, entryID: String? = nil, version: UInt32 = 1) throws -> EntryEvent {
        try forger.event(seq: seq, entryID: entryID ?? "E\(seq)", version: version, phone: "1380013\(1000 + seq)",
                         listedOn: Day(parsing: "2026-01-01")!, expiresOn: Day(parsing: "2027-01-01"))
    }

    static func page(_ events: [EntryEvent], coveredThrough: UInt64? = nil) throws -> FeedPage {
        try forger.page(events, coveredThrough: coveredThrough)
    }

    static func store() throws -> (NodeStore, URL) {
        let dir = FileManager.default.temporaryDirectory.appending(path: "xn-replay-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        return (try NodeStore(path: dir.appending(path: "store.sqlite").path), dir)
    }

    static func rows(_ store: NodeStore) throws -> [String] {
        try store.read { db in
            try Row.fetchAll(db, sql: "SELECT entry_id, seq, version, hex(event_digest) AS d FROM entries ORDER BY entry_id").map {
                "\($0["entry_id"] as String)#\($0["seq"] as Int64)v\($0["version"] as Int64):\($0["d"] as String)"
            }
        }
    }

    @Test("a replayed page, and an older version replayed after a newer one, change nothing")
    func replaysAreSkipped() throws {
        let (store, dir) = try Self.store()
        defer { try? FileManager.default.removeItem(at: dir) }
        let applier = FeedApplier(store: store)
        let first = try Self.page([
            try Self.event(seq: 1, entryID: "E1"), try Self.event(seq: 2, entryID: "E2"),
        ])
        let applied = try applier.apply(first, expectedCursor: 0)
        #expect(applied.applied == 2 && applied.cursor == 2)
        let newer = try Self.page([try Self.event(seq: 3, entryID: "E1", version: 2)])
        #expect(try applier.apply(newer, expectedCursor: 2).applied == 1)
        let before = try Self.rows(store)
        #expect(before.count == 2 && before[0].hasPrefix("E1#3v2"), "\(before)")

        // The same first page again, presented as news (the attacker also moves covered_through forward).
        let replay = try Self.page(first.events.map(\.event), coveredThrough: 9)
        let outcome = try applier.apply(replay, expectedCursor: 3)
        #expect(outcome.applied == 0 && outcome.skippedStale == 2)
        #expect(try Self.rows(store) == before, "a replay changed the store")
        #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM entries") } == 2)
        #expect(try store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM entry_tokens") } == 2, "tokens duplicated")
    }

    @Test("a page built for another cursor is refused whole (no partial apply)")
    func staleCursorIsRefused() throws {
        let (store, dir) = try Self.store()
        defer { try? FileManager.default.removeItem(at: dir) }
        let applier = FeedApplier(store: store)
        _ = try applier.apply(try Self.page([try Self.event(seq: 1)]), expectedCursor: 0)
        let late = try Self.page([try Self.event(seq: 2)])
        // Refused for the cursor, not for anything else (a store failure would be another code).
        #expect(throws: NodeError.protocolViolation("")) { try applier.apply(late, expectedCursor: 0) }
        #expect(try Self.rows(store).count == 1)
    }
}
