import AllianceTestSupport
import ExchangeCrypto
import ExchangeProtocol
import Foundation
import GRDB
import NodeTestSupport
import Testing

@testable import ExchangeNode

/// The Bloom filter the pipelines' watch probes skip absent keys with (Watch/WatchIndexFilter.swift) and
/// its copy in the store (Watch/WatchFilterStore.swift), on a real home and SQLite file: it holds every key
/// of the index, few others, stays in step through registrations, growth, removal and compaction, and
/// probes with it find exactly what probes without it find, before and after the watch changes.
@Suite("Watch: index filter")
struct WatchIndexFilterTests {
    static func phone(_ index: Int) -> String { "+861376" + String(format: "%07d", index) }

    static func accounts(_ range: Range<Int>) throws -> [Screener.Account] {
        try range.map { Screener.Account(ref: "f-\($0)", identifier: try SubjectIdentifier(kind: .phone, parsing: phone($0))) }
    }

    /// What a feed page of `origin`'s entries for `range`'s phones is probed with.
    static func items(_ context: NodeContext, _ range: Range<Int>) throws -> [WatchProbeItem] {
        let tokenizer = context.keys.tokenizer
        return try range.map { index in
            WatchProbeItem(origin: "beta", scheme: tokenizer.descriptor,
                           tokens: [tokenizer.token(for: try SubjectIdentifier(kind: .phone, parsing: phone(index)))])
        }
    }

    static func indexKeys(_ db: Database) throws -> [(Int64, Int64)] {
        try Row.fetchAll(db, sql: "SELECT domain, fingerprint FROM watch_index").map { ($0[0], $0[1]) }
    }

    /// Whether every bit `subset` sets is set in `filter`.
    static func covers(_ filter: WatchIndexFilter, _ subset: WatchIndexFilter) -> Bool {
        filter.blocks == subset.blocks && zip(filter.words, subset.words).allSatisfy { $0 & $1 == $1 }
    }

    @Test("the stored filter holds every key of the index, answers 'maybe' for few absent keys, and equals a scan's")
    func holdsEveryKey() async throws {
        let alliance = try TestAlliance("watch-filter", nodes: ["alpha"])
        defer { alliance.shutdown() }
        let alpha = alliance.context("alpha")
        _ = try await WatchService(context: alpha, client: nil).register(try Self.accounts(0..<3000))
        try alpha.store.read { db in
            let stored = try #require(try WatchFilterStore.load(db), "the registration stored a filter")
            let scanned = try WatchIndexFilter.build(db)
            let keys = try Self.indexKeys(db)
            #expect(keys.count == 3000)
            #expect(keys.allSatisfy { stored.mayContain(domain: $0.0, fingerprint: $0.1) })
            // 3 000 keys at 2 730 a block: two blocks of 4 KiB, built from the new keys exactly as a scan builds it.
            #expect(stored.blocks == 2 && stored.bytes == 8192)
            #expect(stored.words == scanned.words)
            #expect(try WatchState.get(db, WatchFilterStore.keysKey) == 3000)
            let domain = keys[0].0
            var generator = SystemRandomNumberGenerator()
            let maybe = (0..<100_000).filter { _ in stored.mayContain(domain: domain, fingerprint: Int64.random(in: .min ... .max, using: &generator)) }
            #expect(maybe.count < 2_000, "\(maybe.count) of 100 000 absent keys answered 'maybe'")
        }
    }

    @Test("later registrations add their keys; past 1.5 times its size the filter is rebuilt larger; removal and compaction keep it in step")
    func staysInStep() async throws {
        let alliance = try TestAlliance("watch-filter", nodes: ["alpha"])
        defer { alliance.shutdown() }
        let alpha = alliance.context("alpha")
        let service = try WatchService(context: alpha, client: nil)
        _ = try await service.register(try Self.accounts(0..<3000))
        // 2 000 more: 5 000 written, within 1.5 × 5 460 (two blocks): the two blocks take the keys in place.
        _ = try await service.register(try Self.accounts(3000..<5000))
        try alpha.store.read { db in
            let stored = try #require(try WatchFilterStore.load(db))
            let written = try WatchState.get(db, WatchFilterStore.keysKey)
            #expect(stored.blocks == 2 && written == 5000)
            #expect(try WatchFilterStore.isInStep(db))
            let scanned = try WatchIndexFilter.build(db)
            #expect(Self.covers(stored, scanned))
        }
        // 4 000 more: 9 000 written, past 8 190: rebuilt from the index, four blocks.
        _ = try await service.register(try Self.accounts(5000..<9000))
        try alpha.store.read { db in
            let stored = try #require(try WatchFilterStore.load(db))
            let written = try WatchState.get(db, WatchFilterStore.keysKey)
            #expect(stored.blocks == 4 && written == 9000)
            let scanned = try WatchIndexFilter.build(db)
            #expect(stored.words == scanned.words)
        }
        // 3 000 more in place (12 000 of 16 380); then removed accounts leave their bits (a superset is still exact
        // after the B-tree probe) until compaction, which needs 10 000 rows of garbage.
        _ = try await service.register(try Self.accounts(9000..<12000))
        #expect(try alpha.store.read { db in try WatchFilterStore.isInStep(db) })
        let removed = try service.remove((0..<11000).map { "f-\($0)" })
        #expect(removed.removed == 11000)
        #expect(try alpha.store.read { db in try WatchFilterStore.isInStep(db) })
        let garbage = try alpha.store.write { db in try WatchCompaction.runIfNeeded(db) }
        #expect(garbage == 11000)
        try alpha.store.read { db in
            let stored = try #require(try WatchFilterStore.load(db))
            #expect(try Self.indexKeys(db).count == 1000)
            let scanned = try WatchIndexFilter.build(db)
            #expect(stored.blocks == 1 && stored.words == scanned.words, "compaction rebuilt it from what is left")
            #expect(try WatchFilterStore.isInStep(db))
        }
    }

    @Test("a store without a stored filter (a damaged or dropped one) gets it rebuilt at the next write, and probes build one meanwhile; a damaged block is not written over")
    func missingFilterIsRebuilt() async throws {
        let alliance = try TestAlliance("watch-filter", nodes: ["alpha"])
        defer { alliance.shutdown() }
        let alpha = alliance.context("alpha")
        let service = try WatchService(context: alpha, client: nil)
        _ = try await service.register(try Self.accounts(0..<500))
        // A missing block is not read as zeros (which would hide its keys): the stored filter is not used.
        try alpha.store.write { db in try db.execute(sql: "DELETE FROM watch_filter WHERE block = 0") }
        #expect(try alpha.store.read { db in try WatchFilterStore.load(db) } == nil)
        try alpha.store.write { db in
            try db.execute(sql: "DELETE FROM watch_filter")
            try db.execute(sql: "DELETE FROM node_state WHERE key = ?", arguments: [WatchFilterStore.blockBitsKey])
        }
        try alpha.store.read { db in
            let stored = try WatchFilterStore.load(db)
            #expect(stored == nil)
            #expect(try !WatchFilterStore.isInStep(db))
        }
        let keys = WatchKeys(context: alpha)
        let items = try Self.items(alpha, 0..<1000)
        let probed = try #require(WatchProbe.probe(items, keys: keys, store: alpha.store, filters: WatchIndexFilters(loadAfter: 1)))
        #expect(probed.hits.filter { !$0.isEmpty }.count == 500, "a scan-built filter holds every key")
        _ = try await service.register(try Self.accounts(500..<600))
        try alpha.store.read { db in
            let stored = try #require(try WatchFilterStore.load(db))
            let scanned = try WatchIndexFilter.build(db)
            #expect(stored.words == scanned.words)
            #expect(try WatchState.get(db, WatchFilterStore.keysKey) == 600)
        }
        // A damaged block cannot take new keys in place (its other keys would be lost): built again.
        try alpha.store.write { db in try db.execute(sql: "UPDATE watch_filter SET bits = x'00ff' WHERE block = 0") }
        _ = try await service.register(try Self.accounts(600..<650))
        try alpha.store.read { db in
            let stored = try #require(try WatchFilterStore.load(db))
            let scanned = try WatchIndexFilter.build(db)
            #expect(stored.words == scanned.words)
            #expect(try WatchFilterStore.isInStep(db))
        }
    }

    @Test("migration v10-watch-filter builds the filter of a store that watched accounts before it, and none for one that did not")
    func migrationBuildsTheFilter() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("watch-filter-migration-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        var generator = SystemRandomNumberGenerator()

        let watching = try DatabaseQueue(path: folder.appendingPathComponent("watching.sqlite").path)
        try StoreSchema.migrator.migrate(watching, upTo: "v9-origin-digests")
        try watching.write { db in
            for account in 1...5000 {
                try db.execute(sql: "INSERT INTO watch_index (domain, fingerprint, account, tail) VALUES (1, ?, ?, NULL)",
                               arguments: [Int64.random(in: .min ... .max, using: &generator), account])
            }
        }
        try StoreSchema.migrator.migrate(watching)
        try watching.read { db in
            let stored = try #require(try WatchFilterStore.load(db), "the migration built the filter")
            #expect(stored.blocks == 2)
            #expect(try WatchState.get(db, WatchFilterStore.keysKey) == 5000)
            #expect(try WatchFilterStore.isInStep(db))
        }

        let empty = try DatabaseQueue(path: folder.appendingPathComponent("empty.sqlite").path)
        try StoreSchema.migrator.migrate(empty, upTo: "v9-origin-digests")
        try StoreSchema.migrator.migrate(empty)
        try empty.read { db throws in
            #expect(try WatchState.get(db, WatchFilterStore.blockBitsKey) == nil)
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM watch_filter") == 0)
            #expect(try WatchFilterStore.isInStep(db), "no index: nothing to hold")
        }
    }

    @Test("probes with the filter find exactly the hits of probes without it; a filter of an older watch version is not used")
    func sameHitsAcrossVersions() async throws {
        let alliance = try TestAlliance("watch-filter", nodes: ["alpha"])
        defer { alliance.shutdown() }
        let alpha = alliance.context("alpha")
        let service = try WatchService(context: alpha, client: nil)
        _ = try await service.register(try Self.accounts(0..<500))
        let keys = WatchKeys(context: alpha)
        let filters = WatchIndexFilters(loadAfter: 1)
        // Watched 0..<500; probed 250..<1250: 250 hits, 750 misses.
        let items = try Self.items(alpha, 250..<1250)
        func direct() throws -> [[WatchHit]] { try alpha.store.read { db in try WatchProbe.probe(items, keys: keys, db).hits } }

        let first = try #require(WatchProbe.probe(items, keys: keys, store: alpha.store, filters: filters))
        let expectedFirst = try direct()
        #expect(first.hits == expectedFirst)
        #expect(first.hits.filter { !$0.isEmpty }.count == 250)
        let version = try alpha.store.read { db in try WatchState.version(db) }
        let loaded = try alpha.store.read { db in filters.filter(store: alpha.store.path, version: version, keys: 0, db) }
        #expect(loaded != nil, "the filter was read")

        // New accounts bump the version: the old copy, which does not hold them, must not hide their hits.
        _ = try await service.register(try Self.accounts(500..<800))
        let second = try #require(WatchProbe.probe(items, keys: keys, store: alpha.store, filters: filters))
        #expect(second.version > version)
        let expectedSecond = try direct()
        #expect(second.hits == expectedSecond)
        #expect(second.hits.filter { !$0.isEmpty }.count == 550)
    }
}
