import ExchangeCrypto
import ExchangeProtocol

/// Screens parsed identifiers: tokenise, find index candidates, confirm and resolve them in the
/// store (one read per call), keep the entries in force on the day, attach the policy's measures.
///
/// During a token-key changeover stored entries are under several epochs: each account is tokenised
/// under every epoch in use whose key this node holds (``KeyedEpochCoverage``), and origins it cannot
/// screen with certainty are reported as stale (docs/membership.md, 1.4 and 1.5).
public struct Screener: Sendable {
    public let index: TokenIndex
    /// One per epoch screened under, the own epoch first.
    public let tokenizers: [KeyedHashTokenizer]
    /// Origins with active entries under an epoch this node cannot screen (retired, or its key missing).
    public let staleOrigins: [StaleOrigin]
    public let policy: MeasuresPolicy
    public let resolver: EntryResolver

    public init(index: TokenIndex, tokenizer: KeyedHashTokenizer, policy: MeasuresPolicy, resolver: EntryResolver) {
        self.init(index: index, tokenizers: [tokenizer], staleOrigins: [], policy: policy, resolver: resolver)
    }

    public init(index: TokenIndex, tokenizers: [KeyedHashTokenizer], staleOrigins: [StaleOrigin], policy: MeasuresPolicy,
                resolver: EntryResolver) {
        self.index = index
        self.tokenizers = tokenizers
        self.staleOrigins = staleOrigins
        self.policy = policy
        self.resolver = resolver
    }

    /// The own epoch's tokenizer.
    public var tokenizer: KeyedHashTokenizer { tokenizers[0] }

    public struct Account: Sendable {
        public let ref: String
        public let identifier: SubjectIdentifier

        public init(ref: String, identifier: SubjectIdentifier) {
            self.ref = ref
            self.identifier = identifier
        }
    }

    /// The matches of each account on `day` (entries of every origin, our own included), in order.
    public func screen(_ accounts: [Account], on day: Day) throws(NodeError) -> [[ScreenMatch]] {
        var candidates: [EntryResolver.Candidate] = []
        var owners: [Int] = []
        for (position, account) in accounts.enumerated() {
            for tokenizer in tokenizers {
                let token = tokenizer.token(for: account.identifier)
                index.forEachCandidate(for: token) { row in
                    candidates.append(.init(row: row, token: token, origin: nil))
                    owners.append(position)
                }
            }
        }
        var out = [[ScreenMatch]](repeating: [], count: accounts.count)
        let entries = try resolver.resolve(candidates)
        for (position, entry) in entries.enumerated() {
            guard let entry, entry.applies(on: day) else { continue }
            let account = accounts[owners[position]]
            out[owners[position]].append(ScreenMatch(account: account, entry: entry, policy: policy))
        }
        return out
    }
}

extension ScreenMatch {
    /// The output line for an account and a matched entry, with the policy's measures or incentives.
    init(account: Screener.Account, entry: EntryResolver.Entry, policy: MeasuresPolicy) {
        self.init(
            ref: account.ref, kind: account.identifier.kind.rawValue, origin: entry.origin, entryID: entry.entryID,
            list: entry.list.rawValue, category: entry.category.rawValue, severity: entry.severity.rawValue,
            listedOn: entry.listedOn.description, expiresOn: entry.expiresOn?.description,
            measures: policy.measures(list: entry.list, severity: entry.severity, role: entry.role),
            incentives: policy.incentives(list: entry.list))
    }
}
