import ExchangeCrypto
import ExchangeProtocol
import Foundation
import GRDB

/// One way of deriving the watched accounts' lookup values: an origin's key epoch (docs/watch.md).
/// Accounts are covered in id order; `coveredThrough` is the highest covered account id.
struct WatchDomain: Sendable, Equatable {
    /// The keyed-hash scheme's single domain: every origin's entries carry the alliance's tokens.
    static let everyOrigin = "*"

    /// The keyed-hash domain of an epoch the node moved away from, kept during a token-key changeover
    /// for the entries of origins that have not moved yet, and deleted when the epoch is retired.
    static func previousKeyedOrigin(epoch: UInt32) -> String { "*@\(epoch)" }

    /// Whether the domain's values are derived locally from the sealed identifiers (own domains).
    func isLocal(member: String) -> Bool { origin == member || origin.hasPrefix(Self.everyOrigin) }

    let id: Int64
    let origin: String
    let epoch: UInt32
    var coveredThrough: Int64
    let since: Int64
    var updatedAt: Int64
    /// False for the first domain of an origin; true when it replaced one (a key rotation): its
    /// accounts not yet covered are reported as stale for that origin.
    let renewal: Bool

    /// Whether account `id` has a value in this domain.
    func covers(_ account: Int64) -> Bool { account <= coveredThrough }
}

/// Reads and writes `watch_domains`, inside a caller's transaction.
enum WatchDomains {
    /// The current domain of every origin (the highest id of each), by origin.
    static func current(_ db: Database) throws -> [String: WatchDomain] {
        var out: [String: WatchDomain] = [:]
        let rows = try GRDB.Row.fetchAll(db, sql: """
            SELECT d.id, d.origin, d.epoch, d.covered_through, d.since, d.updated_at,
                   (SELECT COUNT(*) FROM watch_domains o WHERE o.origin = d.origin AND o.id < d.id) AS older
            FROM watch_domains d WHERE d.id = (SELECT MAX(id) FROM watch_domains m WHERE m.origin = d.origin)
            """)
        for row in rows {
            let domain = WatchDomain(id: row[0], origin: row[1], epoch: UInt32(truncatingIfNeeded: row[2] as Int64),
                                     coveredThrough: row[3], since: row[4], updatedAt: row[5], renewal: (row[6] as Int64) > 0)
            out[domain.origin] = domain
        }
        return out
    }

    static func current(origin: String, _ db: Database) throws -> WatchDomain? { try current(db)[origin] }

    /// The domain an entry of `origin` published under `scheme` is looked up in: the keyed-hash
    /// domain for every origin's entries of its epoch; under the pairwise scheme the own domain for
    /// our entries and the origin's domain for a peer's, when their epochs agree. nil otherwise.
    static func lookup(origin: String, scheme: TokenSchemeDescriptor, keys: WatchKeys, in domains: [String: WatchDomain]) -> WatchDomain? {
        guard scheme.scheme == keys.scheme else { return nil }
        if keys.scheme == .keyedHash, let current = domains[WatchDomain.everyOrigin], current.epoch != scheme.epoch {
            return domains[WatchDomain.previousKeyedOrigin(epoch: scheme.epoch)]
        }
        let domain = domains[keys.scheme == .keyedHash ? WatchDomain.everyOrigin : origin]
        return domain?.epoch == scheme.epoch ? domain : nil
    }

    /// Opens a new domain for `origin` (covering nothing yet); the rows of the origin's previous
    /// domain, which no probe will use again, are deleted (one range of the index).
    @discardableResult
    static func open(origin: String, epoch: UInt32, at millis: Int64, _ db: Database) throws -> WatchDomain {
        let previous = try current(origin: origin, db)
        if let previous {
            try db.execute(sql: "DELETE FROM watch_index WHERE domain = ?", arguments: [previous.id])
        }
        try db.execute(sql: """
            INSERT INTO watch_domains (origin, epoch, covered_through, since, updated_at) VALUES (?, ?, 0, ?, ?)
            """, arguments: [origin, Int64(epoch), millis, millis])
        let id = db.lastInsertedRowID
        try WatchState.bump(db)
        return WatchDomain(id: id, origin: origin, epoch: epoch, coveredThrough: 0, since: millis,
                           updatedAt: millis, renewal: previous != nil)
    }

    /// Records that the domain now covers every account up to `through`.
    static func advance(_ id: Int64, through: Int64, at millis: Int64, _ db: Database) throws {
        try db.execute(sql: "UPDATE watch_domains SET covered_through = MAX(covered_through, ?), updated_at = ? WHERE id = ?",
                       arguments: [through, millis, id])
        try WatchState.bump(db)
    }
}
