import ExchangeCrypto
import Foundation
import GRDB

/// This node's pairwise key rotation, for the watch (called in the rotation's transaction): the own
/// domain is re-derived under the new key from the sealed identifiers (values computed before the
/// transaction), and every peer gets a new domain covering nothing, since `X25519(b, q)` depends on
/// `q`: the coverage step asks each peer again, and until then that peer is a stale origin.
enum WatchRekey {
    /// The watched accounts a rotation re-derives, read with its snapshot.
    struct Snapshot: Sendable {
        var version: Int64 = 0
        var accounts: [(id: Int64, ref: String, identifier: SubjectIdentifier)] = []

        /// The watched accounts, their identifiers opened in the same read.
        static func read(_ db: Database, seal: IdentifierSeal) throws -> Snapshot {
            var snapshot = Snapshot(version: try WatchState.version(db))
            snapshot.accounts = try WatchAccounts(db, seal: seal).list(after: 0).map { ($0.id, $0.ref, $0.identifier) }
            return snapshot
        }

        /// `X25519(new key, H(x))` of each account, on `threads` threads.
        func values(with key: PairwiseMaskingKey, threads: Int) throws -> [Token] {
            try key.maskInParallel(accounts.map { PairwiseMaskingKey.point(for: $0.identifier) }, threads: threads)
        }
    }

    /// In the rotation's transaction; false when the watch changed since `snapshot` (the rotation retries).
    static func rotate(_ db: Database, member: String, epoch: UInt32, snapshot: Snapshot, values: [Token], at millis: Int64) throws -> Bool {
        guard try WatchState.version(db) == snapshot.version else { return false }
        let domains = try WatchDomains.current(db)
        guard !domains.isEmpty || !snapshot.accounts.isEmpty else { return true }
        let own = try WatchDomains.open(origin: member, epoch: epoch, at: millis, db)
        var pairs = zip(snapshot.accounts, values).map { WatchPair(fingerprint: WatchFingerprint.key($1), account: $0.id) }
        try WatchIndexWriter(db).write(domain: own.id, pairs: &pairs)
        if let last = snapshot.accounts.last { try WatchDomains.advance(own.id, through: last.id, at: millis, db) }
        for (origin, domain) in domains where origin != member {
            try WatchDomains.open(origin: origin, epoch: domain.epoch, at: millis, db)
        }
        return true
    }
}
