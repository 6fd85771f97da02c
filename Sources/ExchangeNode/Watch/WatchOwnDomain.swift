import ExchangeCrypto
import ExchangeProtocol
import ExchangeRuntime
import Foundation
import GRDB

/// The own domain (keyed-hash: `*` under the alliance key's epoch; pairwise: our key's epoch), which
/// always covers every watched account: its values are derived locally.
enum WatchOwnDomain {
    /// The current own domain, opened (and filled from the sealed identifiers of every account
    /// already watched) when there is none or its epoch is not the key's.
    ///
    /// Keyed hash, when the node moved to a new token-key epoch (docs/membership.md, 1.3): the old
    /// epoch's domain is kept as `*@N` (entries of origins that have not moved yet are still matched
    /// with it, until the epoch is retired), and the entries already stored under the new epoch are
    /// matched against the re-derived values at once (they could not be before), with `policy`'s
    /// measures; each (ref, origin, entry) match is still recorded only once.
    static func ensure(_ db: Database, keys: WatchKeys, at millis: Int64, threads: Int = 2,
                       policy: () throws -> MeasuresPolicy) throws -> WatchDomain {
        if keys.scheme == .ecdhX25519 { try PairwiseKeyEpoch.ensureInStep(db, with: try keys.requirePairwiseKey()) }
        // Never open the alliance domain under an epoch a changeover (any process) moved away from.
        if keys.scheme == .keyedHash { try TokenEpochs.ensureOwn(db, is: try keys.ownEpoch()) }
        let epoch = try keys.ownEpoch()
        let previous = try WatchDomains.current(origin: keys.ownOrigin, db)
        if let previous, previous.epoch == epoch { return previous }
        var moved = false
        if keys.scheme == .keyedHash, let previous, previous.epoch < epoch {
            // Kept under its epoch's name (a `*@N` left by an earlier move to N is replaced by it).
            let name = WatchDomain.previousKeyedOrigin(epoch: previous.epoch)
            try db.execute(sql: "DELETE FROM watch_index WHERE domain IN (SELECT id FROM watch_domains WHERE origin = ?)",
                           arguments: [name])
            try db.execute(sql: "DELETE FROM watch_domains WHERE origin = ?", arguments: [name])
            try db.execute(sql: "UPDATE watch_domains SET origin = ? WHERE id = ?", arguments: [name, previous.id])
            moved = true
        }
        var domain = try WatchDomains.open(origin: keys.ownOrigin, epoch: epoch, at: millis, db)
        let accounts = try WatchAccounts(db, seal: keys.seal).list(after: 0)
        guard let last = accounts.last?.id else { return domain }
        let values = try keys.ownValues(accounts.map(\.identifier), threads: threads)
        var pairs = zip(accounts, values).map { WatchPair(fingerprint: WatchFingerprint.key($1), account: $0.id) }
        try WatchIndexWriter(db).write(domain: domain.id, pairs: &pairs)
        try WatchDomains.advance(domain.id, through: last, at: millis, db)
        domain.coveredThrough = last
        if moved { try matchStored(accounts.map(\.screened), values: values, epoch: epoch, policy: policy, at: millis, db) }
        return domain
    }

    /// Keyed hash: records the matches of `accounts` (their values under `epoch`) with the active
    /// entries stored under that epoch, as a registration does.
    private static func matchStored(_ accounts: [Screener.Account], values: [Token], epoch: UInt32,
                                    policy: () throws -> MeasuresPolicy, at millis: Int64, _ db: Database) throws {
        let index = try TokenIndex.load(db, scheme: .keyedHash, epoch: epoch)
        var candidates: [EntryResolver.Candidate] = []
        var owners: [Int] = []
        for (position, value) in values.enumerated() {
            index.forEachCandidate(for: value) { row in
                candidates.append(.init(row: row, token: value, origin: nil))
                owners.append(position)
            }
        }
        guard !candidates.isEmpty else { return }
        let day = NodeClock.today()
        let measures = try policy()
        var matches: [ScreenMatch] = []
        for (position, entry) in try EntryResolver.resolve(candidates, db).enumerated() {
            guard let entry, entry.applies(on: day) else { continue }
            matches.append(ScreenMatch(account: accounts[owners[position]], entry: entry, policy: measures))
        }
        _ = try MatchRecorder.record(matches, screened: 0, day: day, at: millis, db, source: WatchArrival.source, reopen: true)
    }

    /// Keyed hash: drops the domain kept for `epoch` (its retirement), index rows and all.
    static func dropPreviousKeyed(epoch: UInt32, _ db: Database) throws {
        let name = WatchDomain.previousKeyedOrigin(epoch: epoch)
        try db.execute(sql: "DELETE FROM watch_index WHERE domain IN (SELECT id FROM watch_domains WHERE origin = ?)",
                       arguments: [name])
        try db.execute(sql: "DELETE FROM watch_domains WHERE origin = ?", arguments: [name])
        if db.changesCount > 0 { try WatchState.bump(db) }
    }
}
