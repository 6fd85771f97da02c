import ExchangeCrypto
import ExchangeProtocol
import Foundation
import GRDB

/// A row of `watch_index`: an account's value in a domain, by its fingerprint.
struct WatchIndexRow: Sendable {
    let fingerprint: Int64
    let domain: Int64
    let account: Int64
    /// nil for own-domain rows (confirmed from the sealed identifier), the value's next 24 bits for peer rows.
    let tail: Int64?
}

/// Writes `watch_index` rows inside a caller's transaction, in key order (domain, fingerprint):
/// SQLite then appends to, or walks, the B-tree once instead of jumping between its pages. The
/// stored index filter takes the new keys in the same transaction (``WatchFilterStore``).
final class WatchIndexWriter {
    /// Own-domain rows per statement on the bulk path (one statement per row was half its cost).
    static let group = 64
    private let db: Database
    private let insert: RawStatement
    /// The index held no row before this writer's first write.
    private var indexWasEmpty: Bool

    init(_ db: Database) throws {
        self.db = db
        insert = try RawStatement(db, "INSERT OR IGNORE INTO watch_index (domain, fingerprint, account, tail) VALUES (?, ?, ?, ?)")
        indexWasEmpty = try !(Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM watch_index)") ?? false)
    }

    func write(_ rows: [WatchIndexRow]) throws {
        let sorted = rows.sorted(by: { ($0.domain, $0.fingerprint, $0.account) < ($1.domain, $1.fingerprint, $1.account) })
        for row in sorted {
            insert.bind(1, row.domain)
            insert.bind(2, row.fingerprint)
            insert.bind(3, row.account)
            insert.bind(4, row.tail)
            try insert.run()
        }
        try addToFilter(sorted.lazy.map { WatchFilterKey(domain: $0.domain, fingerprint: $0.fingerprint) })
    }

    private func addToFilter(_ keys: some Collection<WatchFilterKey>) throws {
        guard !keys.isEmpty else { return }
        try WatchFilterStore.add(keys, indexWasEmpty: indexWasEmpty, db)
        indexWasEmpty = false
    }

    /// Writes own-domain rows of the bulk registration path (16 bytes per row in memory, sorted in place).
    func write(domain: Int64, pairs: inout [WatchPair]) throws {
        pairs.sort { $0.fingerprint < $1.fingerprint || ($0.fingerprint == $1.fingerprint && $0.account < $1.account) }
        let values = Array(repeating: "(?, ?, ?, NULL)", count: Self.group).joined(separator: ", ")
        let many = try RawStatement(db, "INSERT OR IGNORE INTO watch_index (domain, fingerprint, account, tail) VALUES \(values)")
        var start = 0
        while pairs.count - start >= Self.group {
            for offset in 0..<Self.group {
                let pair = pairs[start + offset], base = Int32(offset * 3)
                many.bind(base + 1, domain)
                many.bind(base + 2, pair.fingerprint)
                many.bind(base + 3, pair.account)
            }
            try many.run()
            start += Self.group
        }
        for pair in pairs[start...] {
            insert.bind(1, domain)
            insert.bind(2, pair.fingerprint)
            insert.bind(3, pair.account)
            insert.bindNull(4)
            try insert.run()
        }
        try addToFilter(pairs.lazy.map { WatchFilterKey(domain: domain, fingerprint: $0.fingerprint) })
    }
}

/// An own-domain index row before it is written: fingerprint and account id.
struct WatchPair: Sendable {
    let fingerprint: Int64
    let account: Int64
}

/// One candidate: a changed entry's token whose fingerprint is in the index.
struct WatchHit: Sendable, Equatable {
    let token: Token
    let domain: Int64
    let account: Int64
    let tail: Int64?
}

/// The candidates of a batch of changed entries (by item, in the caller's order), and the watch
/// version they were read at.
struct WatchProbeResult: Sendable {
    let version: Int64
    let hits: [[WatchHit]]
}

/// What is probed for one changed entry: its origin, its key scheme and epoch (which name the one
/// domain its values can be in) and the values it is looked up by.
struct WatchProbeItem: Sendable {
    let origin: String
    let scheme: TokenSchemeDescriptor
    let tokens: [Token]
}

/// Probes `watch_index` with the tokens of changed entries: one B-tree probe per distinct token, in
/// the domain of the entry's origin and key epoch, in key order. Runs in any connection: a reader
/// while the previous group is written (the sync and import pipelines), or the writer itself.
enum WatchProbe {
    /// `filters` (the pipelines' probes, not the writer's) may skip keys the index does not hold
    /// (``WatchIndexFilters``); the hits are the same either way.
    static func probe(
        _ items: [WatchProbeItem], keys: WatchKeys, _ db: Database, filters: (WatchIndexFilters, store: String)? = nil
    ) throws -> WatchProbeResult {
        let version = try WatchState.version(db)
        var hits = [[WatchHit]](repeating: [], count: items.count)
        guard try WatchState.isWatching(db) else { return WatchProbeResult(version: version, hits: hits) }
        let domains = try WatchDomains.current(db)
        let filter = filters.flatMap { filters, store in
            filters.filter(store: store, version: version, keys: items.reduce(0) { $0 + $1.tokens.count }, db)
        }
        var probes: [(domain: Int64, fingerprint: Int64, item: Int, token: Token)] = []
        for (item, entry) in items.enumerated() {
            guard let domain = WatchDomains.lookup(origin: entry.origin, scheme: entry.scheme, keys: keys, in: domains) else { continue }
            for token in entry.tokens {
                let fingerprint = WatchFingerprint.key(token)
                if let filter, !filter.mayContain(domain: domain.id, fingerprint: fingerprint) { continue }
                probes.append((domain.id, fingerprint, item, token))
            }
        }
        probes.sort { ($0.domain, $0.fingerprint) < ($1.domain, $1.fingerprint) }
        let select = try RawStatement(db, "SELECT account, tail FROM watch_index WHERE domain = ? AND fingerprint = ?")
        var previous: (Int64, Int64)?
        var found: [(account: Int64, tail: Int64?)] = []
        for probe in probes {
            if previous.map({ $0 != (probe.domain, probe.fingerprint) }) ?? true {
                previous = (probe.domain, probe.fingerprint)
                found.removeAll(keepingCapacity: true)
                select.bind(1, probe.domain)
                select.bind(2, probe.fingerprint)
                while try select.step() { found.append((select.int64(0), select.isNull(1) ? nil : select.int64(1))) }
                select.reset()
            }
            for row in found {
                hits[probe.item].append(WatchHit(token: probe.token, domain: probe.domain, account: row.account, tail: row.tail))
            }
        }
        return WatchProbeResult(version: version, hits: hits)
    }

    /// The same in a read transaction of `store`; nil when it cannot be read (the writer probes again).
    static func probe(
        _ items: [WatchProbeItem], keys: WatchKeys, store: NodeStore, filters: WatchIndexFilters = .shared
    ) -> WatchProbeResult? {
        try? store.read { db in try probe(items, keys: keys, db, filters: (filters, store.path)) }
    }
}
