import ExchangeCrypto
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

/// Writes `watch_index` rows inside a caller's transaction, in fingerprint order (SQLite then
/// appends to, or walks, the B-tree once instead of jumping between its pages).
struct WatchIndexWriter {
    private let insert: RawStatement

    init(_ db: Database) throws {
        insert = try RawStatement(db, "INSERT OR IGNORE INTO watch_index (fingerprint, domain, account, tail) VALUES (?, ?, ?, ?)")
    }

    func write(_ rows: [WatchIndexRow]) throws {
        for row in rows.sorted(by: { ($0.fingerprint, $0.domain, $0.account) < ($1.fingerprint, $1.domain, $1.account) }) {
            insert.bind(1, row.fingerprint)
            insert.bind(2, row.domain)
            insert.bind(3, row.account)
            insert.bind(4, row.tail)
            try insert.run()
        }
    }

    /// Writes own-domain rows of the bulk registration path (16 bytes per row in memory, sorted in place).
    func write(domain: Int64, pairs: inout [WatchPair]) throws {
        pairs.sort { $0.fingerprint < $1.fingerprint || ($0.fingerprint == $1.fingerprint && $0.account < $1.account) }
        for pair in pairs {
            insert.bind(1, pair.fingerprint)
            insert.bind(2, domain)
            insert.bind(3, pair.account)
            insert.bindNull(4)
            try insert.run()
        }
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

/// Probes `watch_index` with the tokens of changed entries: one B-tree probe per distinct token,
/// in fingerprint order. Runs in any connection: a reader while the previous group is written
/// (the sync and import pipelines), or the writer itself.
enum WatchProbe {
    /// `items[i]` are the index tokens of the i-th changed entry.
    static func probe(_ items: [[Token]], _ db: Database) throws -> WatchProbeResult {
        let version = try WatchState.version(db)
        var hits = [[WatchHit]](repeating: [], count: items.count)
        guard try WatchState.isWatching(db) else { return WatchProbeResult(version: version, hits: hits) }
        var keys: [(fingerprint: Int64, item: Int, token: Token)] = []
        keys.reserveCapacity(items.reduce(0) { $0 + $1.count })
        for (item, tokens) in items.enumerated() {
            for token in tokens { keys.append((WatchFingerprint.key(token), item, token)) }
        }
        keys.sort { $0.fingerprint < $1.fingerprint }
        let select = try RawStatement(db, "SELECT domain, account, tail FROM watch_index WHERE fingerprint = ?")
        var previous: Int64?
        var found: [(domain: Int64, account: Int64, tail: Int64?)] = []
        for key in keys {
            if key.fingerprint != previous {
                previous = key.fingerprint
                found.removeAll(keepingCapacity: true)
                select.bind(1, key.fingerprint)
                while try select.step() {
                    found.append((select.int64(0), select.int64(1), select.isNull(2) ? nil : select.int64(2)))
                }
                select.reset()
            }
            for row in found { hits[key.item].append(WatchHit(token: key.token, domain: row.domain, account: row.account, tail: row.tail)) }
        }
        return WatchProbeResult(version: version, hits: hits)
    }

    /// The same in a read transaction of `store`; nil when it cannot be read (the writer probes again).
    static func probe(_ items: [[Token]], store: NodeStore) -> WatchProbeResult? {
        try? store.read { db in try probe(items, db) }
    }
}
