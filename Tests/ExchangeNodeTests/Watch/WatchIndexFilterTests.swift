import AllianceTestSupport
import ExchangeCrypto
import ExchangeProtocol
import Foundation
import GRDB
import NodeTestSupport
import Testing

@testable import ExchangeNode

/// The Bloom filter the pipelines' watch probes skip absent keys with (Watch/WatchIndexFilter.swift),
/// on a real home and SQLite file: it holds every key of the index, few others, and probes with it find
/// exactly what probes without it find, before and after the watch changes.
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

    @Test("the filter holds every key of the index and answers 'maybe' for few absent keys")
    func holdsEveryKey() async throws {
        let alliance = try TestAlliance("watch-filter", nodes: ["alpha"])
        defer { alliance.shutdown() }
        let alpha = alliance.context("alpha")
        _ = try await WatchService(context: alpha, client: nil).register(try Self.accounts(0..<3000))
        try alpha.store.read { db in
            let filter = try WatchIndexFilter.build(db)
            let rows = try Row.fetchAll(db, sql: "SELECT domain, fingerprint FROM watch_index")
            let version = try WatchState.version(db)
            #expect(rows.count == 3000 && filter.keys == 3000 && filter.version == version)
            #expect(rows.allSatisfy { filter.mayContain(domain: $0[0], fingerprint: $0[1]) })
            let domain: Int64 = rows[0][0]
            var generator = SystemRandomNumberGenerator()
            let absent = (0..<100_000).filter { _ in filter.mayContain(domain: domain, fingerprint: Int64.random(in: .min ... .max, using: &generator)) }
            #expect(absent.count < 3_000, "\(absent.count) of 100 000 absent keys answered 'maybe'")
            #expect(filter.bytes <= 3000 * WatchIndexFilter.bitsPerKey / 8 * 2 + 8)
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
        let filters = WatchIndexFilters(buildAfter: 1)
        // Watched 0..<500; probed 250..<1250: 250 hits, 750 misses.
        let items = try Self.items(alpha, 250..<1250)
        func direct() throws -> [[WatchHit]] { try alpha.store.read { db in try WatchProbe.probe(items, keys: keys, db).hits } }

        let first = try #require(WatchProbe.probe(items, keys: keys, store: alpha.store, filters: filters))
        let expectedFirst = try direct()
        #expect(first.hits == expectedFirst)
        #expect(first.hits.filter { !$0.isEmpty }.count == 250)
        let version = try alpha.store.read { db in try WatchState.version(db) }
        let built = try alpha.store.read { db in try filters.filter(store: alpha.store.path, version: version, keys: 0, db) }
        #expect(built != nil, "the filter was built")

        // New accounts bump the version: the old filter, which does not hold them, must not hide their hits.
        _ = try await service.register(try Self.accounts(500..<800))
        let second = try #require(WatchProbe.probe(items, keys: keys, store: alpha.store, filters: filters))
        #expect(second.version > version)
        let expectedSecond = try direct()
        #expect(second.hits == expectedSecond)
        #expect(second.hits.filter { !$0.isEmpty }.count == 550)
    }
}
