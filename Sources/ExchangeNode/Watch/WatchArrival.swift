import ExchangeCrypto
import ExchangeProtocol
import Foundation
import GRDB

/// Matches changed entries against the watched base inside the transaction that applies them
/// (an applied feed page group, an import chunk, a day's listings): docs/watch.md, "Matching rules".
///
/// A new or amended active entry in force today that names a watched account gives a match record
/// (once while the match is open; again after a retraction). An amended entry that no longer names
/// a covered account with an open match on it, or is no longer in force, gives a retraction
/// (`reason: amended`). Revocations are retracted by the existing path (`Retractions`).
struct WatchArrival: Sendable {
    let keys: WatchKeys
    /// The measures policy, read only when a match is found (a bad policy file then fails the
    /// transaction, loudly, instead of losing the match).
    let policy: @Sendable () throws -> MeasuresPolicy

    init(keys: WatchKeys, policy: @escaping @Sendable () throws -> MeasuresPolicy) {
        self.keys = keys
        self.policy = policy
    }

    init(context: NodeContext) {
        let home = context.home
        self.init(keys: WatchKeys(context: context), policy: { try MeasuresPolicy.load(from: home) })
    }

    static let source = "watch"

    /// One changed entry, as stored after the change.
    struct Change: Sendable {
        let event: EntryEvent
        /// The values the entry is looked up by (the pairwise scheme's re-masked tokens for peers' entries).
        let indexTokens: [Token]
        /// The entry was stored before: its open matches are looked at again.
        let replaced: Bool

        var probeItem: WatchProbeItem { WatchProbeItem(origin: event.origin, scheme: event.scheme, tokens: indexTokens) }
    }

    struct Outcome: Sendable, Equatable {
        var matches = 0
        var retractions = 0

        static func + (lhs: Outcome, rhs: Outcome) -> Outcome {
            Outcome(matches: lhs.matches + rhs.matches, retractions: lhs.retractions + rhs.retractions)
        }
    }

    /// Processes `changes` (in the order they were applied). `probed` are their index hits read
    /// earlier (outside the transaction); they are read again here when the watch changed since.
    func process(_ changes: [Change], probed: WatchProbeResult?, day: Day, at millis: Int64, _ db: Database) throws -> Outcome {
        guard !changes.isEmpty else { return Outcome() }
        try WatchListings.note(changes, day: day, db)
        guard try WatchState.isWatching(db) else { return Outcome() }
        let hits: [[WatchHit]]
        if let probed, probed.hits.count == changes.count, probed.version == (try WatchState.version(db)) {
            hits = probed.hits
        } else {
            hits = try WatchProbe.probe(changes.map(\.probeItem), keys: keys, db).hits
        }
        // Only the changes that can concern a watched account, and of those only each entry's last:
        // its final state is what the member must be told (a version named it and a later one in the
        // same batch was revoked: no match; the revocation's retractions were made as it was applied).
        var last: [String: Int] = [:]
        for position in changes.indices where !hits[position].isEmpty || changes[position].replaced {
            last[changes[position].event.origin + "\u{0}" + changes[position].event.entryID] = position
        }
        guard !last.isEmpty else { return Outcome() }
        var domains = try WatchDomains.current(db)
        let accounts = try WatchAccounts(db, seal: keys.seal)
        var outcome = Outcome()
        // Each entry is processed once (its last change), and its retractions concern accounts it
        // no longer names, its matches accounts it names: the batch's matches are recorded together.
        var matches: [ScreenMatch] = []
        var policy: MeasuresPolicy?
        for position in last.values.sorted() {
            let change = changes[position]
            let event = change.event
            guard event.status == .active else { continue }
            guard let domain = try domain(for: event, in: &domains, at: millis, db) else { continue }
            var named: [Int64: WatchAccounts.Account] = [:]
            for hit in hits[position] where hit.domain == domain.id && domain.covers(hit.account) && named[hit.account] == nil {
                if let account = try confirm(hit, in: domain, accounts) { named[hit.account] = account }
            }
            let inForce = event.listedOn <= day && (event.expiresOn.map { day < $0 } ?? true)
            if change.replaced {
                for open in try accounts.openMatches(origin: event.origin, entryID: event.entryID) {
                    guard let account = try accounts.account(ref: open.ref), account.kind == open.kind,
                          domain.covers(account.id) else { continue }
                    if inForce && named[account.id] != nil { continue }
                    outcome.retractions += try WatchRetractions.retract(
                        ref: open.ref, kind: open.kind, origin: event.origin, entryID: event.entryID, reason: "amended",
                        at: millis, day: day, db)
                }
            }
            guard inForce, !named.isEmpty else { continue }
            let measures = try policy ?? self.policy()
            policy = measures
            matches += named.values.sorted { $0.id < $1.id }.map { ScreenMatch(account: $0, event: event, policy: measures) }
        }
        if !matches.isEmpty {
            outcome.matches = try MatchRecorder.record(matches, screened: 0, day: day, at: millis, db, source: Self.source, reopen: true)
        }
        return outcome
    }

    /// The domain an entry is looked up in: the keyed-hash domain for every origin's entries of
    /// its epoch; under the pairwise scheme the own domain for our entries and the origin's domain
    /// for a peer's. A peer entry of a newer key epoch than its domain (the peer rotated) opens a
    /// new domain, which covers nothing yet. nil when the entry cannot be looked up.
    private func domain(for event: EntryEvent, in domains: inout [String: WatchDomain], at millis: Int64,
                        _ db: Database) throws -> WatchDomain? {
        if keys.scheme == .ecdhX25519, event.scheme.scheme == .ecdhX25519, event.origin != keys.member,
           let domain = domains[event.origin], event.scheme.epoch > domain.epoch {
            let renewed = try WatchDomains.open(origin: event.origin, epoch: event.scheme.epoch, at: millis, db)
            domains[event.origin] = renewed
            return renewed
        }
        return WatchDomains.lookup(origin: event.origin, scheme: event.scheme, keys: keys, in: domains)
    }

    /// Whether a hit really is the account's value: own-domain hits against the full value derived
    /// from the sealed identifier, peer hits by their tail.
    private func confirm(_ hit: WatchHit, in domain: WatchDomain, _ accounts: WatchAccounts) throws -> WatchAccounts.Account? {
        if keys.scheme == .keyedHash, domain.isLocal(member: keys.member) {
            // The alliance domain of the own epoch, or of an epoch the node moved away from (changeover).
            guard let account = try accounts.account(id: hit.account) else { return nil }
            return keys.keyedValue(account.identifier, epoch: domain.epoch) == hit.token ? account : nil
        }
        if domain.origin == keys.ownOrigin {
            guard domain.epoch == (try keys.ownEpoch()), let account = try accounts.account(id: hit.account) else { return nil }
            return try keys.ownValue(account.identifier) == hit.token ? account : nil
        }
        guard let tail = hit.tail, tail == WatchFingerprint.tail(hit.token) else { return nil }
        return try accounts.account(id: hit.account)
    }
}

extension ScreenMatch {
    /// A watched account's match with an entry, with the policy's measures or incentives.
    init(account: WatchAccounts.Account, event: EntryEvent, policy: MeasuresPolicy) {
        self.init(
            ref: account.ref, kind: account.kind, origin: event.origin, entryID: event.entryID, list: event.list.rawValue,
            category: event.category.rawValue, severity: event.severity.rawValue, listedOn: event.listedOn.description,
            expiresOn: event.expiresOn?.description,
            measures: policy.measures(list: event.list, severity: event.severity, role: event.role),
            incentives: policy.incentives(list: event.list))
    }
}
