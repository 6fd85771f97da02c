import ExchangeCrypto
import Foundation
import GRDB

/// The own domain (keyed-hash: `*` under the alliance key's epoch; pairwise: our key's epoch), which
/// always covers every watched account: its values are derived locally.
enum WatchOwnDomain {
    /// The current own domain, opened (and filled from the sealed identifiers of every account
    /// already watched) when there is none or its epoch is not the key's.
    static func ensure(_ db: Database, keys: WatchKeys, at millis: Int64, threads: Int = 2) throws -> WatchDomain {
        if keys.scheme == .ecdhX25519 { try PairwiseKeyEpoch.ensureInStep(db, with: try keys.requirePairwiseKey()) }
        let epoch = try keys.ownEpoch()
        if let domain = try WatchDomains.current(origin: keys.ownOrigin, db), domain.epoch == epoch { return domain }
        var domain = try WatchDomains.open(origin: keys.ownOrigin, epoch: epoch, at: millis, db)
        let accounts = try GRDB.Row.fetchAll(db, sql: "SELECT id, ref, sealed FROM watched ORDER BY id")
        guard !accounts.isEmpty else { return domain }
        var identifiers: [SubjectIdentifier] = []
        for row in accounts { identifiers.append(try keys.openIdentifier([UInt8](row[2] as Data), ref: row[1])) }
        let values = try keys.ownValues(identifiers, threads: threads)
        var pairs = zip(accounts, values).map { WatchPair(fingerprint: WatchFingerprint.key($1), account: $0[0]) }
        try WatchIndexWriter(db).write(domain: domain.id, pairs: &pairs)
        let last: Int64 = accounts[accounts.count - 1][0]
        try WatchDomains.advance(domain.id, through: last, at: millis, db)
        domain.coveredThrough = last
        return domain
    }
}
