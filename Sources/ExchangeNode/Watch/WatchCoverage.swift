import AllianceHTTP
import ExchangeAudit
import ExchangeCrypto
import ExchangeProtocol
import ExchangeRuntime
import Foundation
import GRDB

/// The pairwise scheme's coverage step (docs/watch.md, "Pairwise coverage under budgets"): asks
/// each peer B to mask the watched accounts it has not covered yet, `X25519(b, q)`, in id order and
/// in chunks, within B's daily budget, and stores each answer in one transaction with the matches
/// it reveals among B's entries of the answered key epoch.
///
/// `q` is computed once per chunk for every peer that needs it; the peers are asked concurrently.
/// A 429 is retried with half the values down to one (so a budget is used to its end), then B is
/// not asked again before the next day. Any other failure is left to the next run.
struct WatchCoverage: Sendable {
    let context: NodeContext
    let keys: WatchKeys
    let policy: MeasuresPolicy
    let client: PeerClient
    var chunk = 20_000
    /// Chunks asked of each peer in one run; nil for as many as it takes.
    var maxChunksPerPeer: Int?
    var threads = 2
    var clock: @Sendable () -> Int64 = { NodeClock.nowMillis() }
    var today: @Sendable () -> Day = { NodeClock.today() }

    struct PeerReport: Sendable, Equatable {
        let member: String
        /// Accounts this run covered.
        var covered = 0
        /// The peer refused for budget: not asked again before the next day.
        var overBudget = false
        var error: String?
        var answeredEpoch: UInt32?
    }

    struct Outcome: Sendable {
        var peers: [String: PeerReport] = [:]
        /// Current matches found among the peers' entries (those already open included).
        var matches: [ScreenMatch] = []
        var records = 0
        var retractions = 0
    }

    init(context: NodeContext, client: PeerClient, maxChunksPerPeer: Int? = nil) throws(NodeError) {
        self.context = context
        self.keys = WatchKeys(context: context)
        self.policy = try MeasuresPolicy.load(from: context.home)
        self.client = client
        self.maxChunksPerPeer = maxChunksPerPeer
    }

    func run() async -> Outcome {
        var outcome = Outcome()
        guard keys.scheme == .ecdhX25519, let key = keys.pairwiseKey else { return outcome }
        let peers = context.peers.nodes.filter { $0.member != keys.member }
        var asked: [String: Int] = [:]
        var stopped: Set<String> = []
        for peer in peers { outcome.peers[peer.member] = PeerReport(member: peer.member) }
        while !Task.isCancelled {
            let day = today()
            let state: (highest: Int64, domains: [String: WatchDomain], blocked: Set<String>)
            do {
                state = try context.store.read { db in
                    let highest = try WatchAccounts(db, seal: keys.seal).highest()
                    let blocked = try Set(peers.map(\.member).filter { try WatchState.isBlocked($0, on: day, db) })
                    return (highest, try WatchDomains.current(db), blocked)
                }
            } catch {
                context.logger.error("watch coverage cannot read the store", metadata: ["error": "\(error)"])
                break
            }
            let waiting = peers.filter { peer in
                !stopped.contains(peer.member) && !state.blocked.contains(peer.member)
                    && (state.domains[peer.member]?.coveredThrough ?? 0) < state.highest
                    && asked[peer.member, default: 0] < (maxChunksPerPeer ?? .max)
            }
            for peer in peers where state.blocked.contains(peer.member) { outcome.peers[peer.member]?.overBudget = true }
            guard let low = waiting.map({ state.domains[$0.member]?.coveredThrough ?? 0 }).min() else { break }
            let accounts: [Account]
            do {
                accounts = try loadAccounts(after: low, key: key)
            } catch {
                context.logger.error("watch coverage cannot derive the accounts' values", metadata: ["error": "\(error)"])
                break
            }
            guard !accounts.isEmpty else { break }
            let answers = await withTaskGroup(of: (PeerConfig, WatchDomain?, [Account], Answer).self) { group in
                for peer in waiting {
                    let domain = state.domains[peer.member]
                    let slice = accounts.filter { $0.id > (domain?.coveredThrough ?? 0) }
                    guard !slice.isEmpty else { continue }
                    group.addTask { (peer, domain, slice, await ask(peer, slice.map(\.value))) }
                }
                var collected: [(PeerConfig, WatchDomain?, [Account], Answer)] = []
                for await answer in group { collected.append(answer) }
                return collected.sorted { $0.0.member < $1.0.member }
            }
            for (peer, domain, slice, answer) in answers {
                asked[peer.member, default: 0] += 1
                switch answer {
                case .masked(let epoch, let values):
                    outcome.peers[peer.member]?.answeredEpoch = epoch
                    do {
                        let stored = try store(peer: peer.member, asked: domain, epoch: epoch,
                                               accounts: Array(slice.prefix(values.count)), values: values, day: day, key: key)
                        outcome.peers[peer.member]?.covered += stored.covered
                        outcome.matches += stored.matches
                        outcome.records += stored.records
                        outcome.retractions += stored.retractions
                    } catch {
                        outcome.peers[peer.member]?.error = "\(error)"
                        stopped.insert(peer.member)
                        context.logger.error("watch coverage could not store a peer's answer",
                                             metadata: ["peer": "\(peer.member)", "error": "\(error)"])
                    }
                case .overBudget:
                    outcome.peers[peer.member]?.overBudget = true
                    stopped.insert(peer.member)
                    try? context.store.write { db in try WatchState.set(db, WatchState.blockedKey(peer.member), Int64(day.ordinal)) }
                    context.logger.notice("peer's masking budget is used for today: watch coverage continues tomorrow",
                                          metadata: ["peer": "\(peer.member)"])
                case .failed(let reason):
                    outcome.peers[peer.member]?.error = reason
                    stopped.insert(peer.member)
                    context.logger.warning("peer could not mask watched accounts: coverage continues at the next round",
                                           metadata: ["peer": "\(peer.member)", "error": "\(reason)"])
                }
            }
        }
        for report in outcome.peers.values where report.covered > 0 || report.overBudget {
            context.audit.append(AuditEvent(actor: report.member, role: .peer, action: "watch.cover", outcome: .ok,
                                            detail: ["accounts": .count(report.covered), "over_budget": .flag(report.overBudget)]))
            if report.covered > 0 { NodeMetrics.shared.watchCovered(peer: report.member, accounts: report.covered) }
        }
        return outcome
    }

    /// A watched account of a chunk: id, ref, identifier and `q`.
    struct Account: Sendable {
        let id: Int64
        let account: Screener.Account
        let value: Token
    }

    private func loadAccounts(after low: Int64, key: PairwiseMaskingKey) throws -> [Account] {
        let keys = keys
        let accounts = try context.store.read { db in try WatchAccounts(db, seal: keys.seal).list(after: low, limit: chunk) }
        let values = try key.maskInParallel(accounts.map { PairwiseMaskingKey.point(for: $0.identifier) }, threads: threads)
        return zip(accounts, values).map { Account(id: $0.id, account: $0.screened, value: $1) }
    }

    enum Answer: Sendable {
        /// The peer masked the first `values.count` values (fewer than asked when its budget ends).
        case masked(epoch: UInt32, values: [Token])
        case overBudget
        case failed(String)
    }

    /// Asks `peer` to mask `values`; on a 429 asks again with half as many, down to one.
    private func ask(_ peer: PeerConfig, _ values: [Token]) async -> Answer {
        var count = values.count
        while count > 0 {
            let status: Int
            let reply: [UInt8]
            do {
                (status, reply) = try await client.call(.POST, "\(peer.url)/v1/mask", body: MaskMessage.encodeRequest(Array(values[0..<count])),
                                                        contentType: MaskMessage.contentType, limit: 64 + count * 32)
            } catch {
                return .failed(error.description)
            }
            switch status {
            case 200:
                do {
                    let response = try MaskMessage.decodeResponse(reply)
                    guard response.values.count == count else {
                        return .failed("masking response has \(response.values.count) values for \(count)")
                    }
                    return .masked(epoch: response.epoch, values: response.values)
                } catch {
                    return .failed("masking response refused: \(error)")
                }
            case 429:
                if count == 1 { return .overBudget }
                count /= 2
            default:
                return .failed("masking answered HTTP \(status): \(ErrorBody.message(in: reply))")
            }
        }
        return .overBudget
    }

    struct Stored: Sendable {
        var covered = 0
        var matches: [ScreenMatch] = []
        var records = 0
        var retractions = 0
    }

    /// Stores one answer in one transaction: the peer's index rows, the matches they reveal among
    /// the peer's entries of the answered epoch, and the domain's new watermark. An answer of
    /// another epoch than the domain's opens a new domain and is kept only if it starts at the
    /// first account; a domain another process moved meanwhile makes the answer void.
    private func store(peer: String, asked: WatchDomain?, epoch: UInt32, accounts: [Account], values: [Token], day: Day,
                       key: PairwiseMaskingKey) throws(NodeError) -> Stored {
        let millis = clock()
        return try context.store.write { db -> Stored in
            try PairwiseKeyEpoch.ensureInStep(db, with: key)
            var stored = Stored()
            var domain = try WatchDomains.current(origin: peer, db)
            guard domain?.id == asked?.id, domain?.coveredThrough == asked?.coveredThrough else { return stored }
            if domain == nil || domain!.epoch != epoch {
                let fromStart = (domain?.coveredThrough ?? 0) == 0
                domain = try WatchDomains.open(origin: peer, epoch: epoch, at: millis, db)
                guard fromStart else { return stored }
            }
            guard let domain, let last = accounts.last?.id else { return stored }
            try WatchIndexWriter(db).write(zip(accounts, values).map { account, value in
                WatchIndexRow(fingerprint: WatchFingerprint.key(value), domain: domain.id, account: account.id,
                              tail: WatchFingerprint.tail(value))
            })
            let lookup = try db.cachedStatement(sql: """
                SELECT e.origin, e.entry_id, e.list, e.category, e.severity, e.role, e.listed_on, e.expires_on
                FROM entry_tokens t CROSS JOIN entries e ON e.id = t.entry
                WHERE t.token = ? AND e.origin = ? AND e.scheme = ? AND e.epoch = ? AND e.status = 1
                """)
            var matches: [ScreenMatch] = []
            for (account, value) in zip(accounts, values) {
                var found: Set<String> = []
                let rows = try GRDB.Row.fetchAll(lookup, arguments: [Data(value.bytes), peer, Int64(TokenSchemeID.ecdhX25519.code),
                                                                     Int64(epoch)])
                for row in rows {
                    let entry = EntryResolver.Entry(row)
                    guard entry.applies(on: day) else { continue }
                    found.insert(entry.entryID)
                    matches.append(ScreenMatch(account: account.account, entry: entry, policy: policy))
                }
                if domain.renewal {
                    stored.retractions += try retractStale(account.account, origin: peer, epoch: epoch, keeping: found,
                                                           at: millis, day: day, db)
                }
            }
            stored.matches = matches
            stored.records = try MatchRecorder.record(matches, screened: 0, day: day, at: millis, db,
                                                      source: WatchArrival.source, reopen: true)
            try WatchDomains.advance(domain.id, through: last, at: millis, db)
            stored.covered = accounts.count
            return stored
        }
    }

    /// Re-coverage after a key rotation: open matches of the account with the origin's entries of
    /// the new epoch that its new value does not find (or that are not in force) are retracted.
    private func retractStale(_ account: Screener.Account, origin: String, epoch: UInt32, keeping found: Set<String>,
                              at millis: Int64, day: Day, _ db: Database) throws -> Int {
        let open = try GRDB.Row.fetchAll(db, sql: """
            SELECT m.kind, m.entry_id FROM matches m JOIN entries e ON e.origin = m.origin AND e.entry_id = m.entry_id
            WHERE m.ref = ? AND m.origin = ? AND m.retracted_at IS NULL AND e.epoch = ? AND e.status = 1
            """, arguments: [account.ref, origin, Int64(epoch)])
        var total = 0
        for row in open {
            let kind: String = row[0], entryID: String = row[1]
            guard kind == account.identifier.kind.rawValue, !found.contains(entryID) else { continue }
            total += try WatchRetractions.retract(ref: account.ref, kind: kind, origin: origin, entryID: entryID, reason: "amended",
                                                  at: millis, day: day, db)
        }
        return total
    }
}
