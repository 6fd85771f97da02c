import Crypto
import ExchangeCrypto
import ExchangeProtocol

/// What derives a watched account's own lookup value and keeps its identifier sealed: the keyed-hash
/// token under the alliance key, or under the pairwise scheme `q = X25519(a, H(x))` with our key.
struct WatchKeys: Sendable {
    let member: String
    let scheme: TokenSchemeID
    let seal: IdentifierSeal
    let tokenizer: KeyedHashTokenizer
    let pairwiseKey: PairwiseMaskingKey?
    /// Keyed hash: the tokenizer of every epoch this node holds a key of, the own one included (during a
    /// token-key changeover, entries of origins that have not moved yet are still under the old epoch).
    let heldTokenizers: [UInt32: KeyedHashTokenizer]

    init(member: String, scheme: TokenSchemeID, sealKey: SymmetricKey, tokenizer: KeyedHashTokenizer, pairwiseKey: PairwiseMaskingKey?,
         heldTokenizers: [UInt32: KeyedHashTokenizer] = [:]) {
        self.member = member
        self.scheme = scheme
        self.seal = IdentifierSeal(key: sealKey)
        self.tokenizer = tokenizer
        self.pairwiseKey = pairwiseKey
        var held = heldTokenizers
        held[tokenizer.descriptor.epoch] = tokenizer
        self.heldTokenizers = held
    }

    /// The keys as they are now: a running process follows a token-key changeover or a pairwise
    /// rotation made since it started (the writer re-checks the epoch inside its transaction).
    init(context: NodeContext) {
        var tokenizer = context.tokenizer
        var held: [UInt32: KeyedHashTokenizer] = [:]
        if context.config.scheme == .keyedHash, let keys = try? TokenKeyFiles.loadHeld(context.home),
           let own = try? NodeKeys.loadTokenKey(context.home.tokenKeyFile) {
            tokenizer = KeyedHashTokenizer(key: own)
            held = keys.mapValues { KeyedHashTokenizer(key: $0) }
        }
        self.init(member: context.member, scheme: context.config.scheme, sealKey: context.keys.sealKey,
                  tokenizer: tokenizer, pairwiseKey: Self.currentPairwiseKey(context), heldTokenizers: held)
    }

    /// The pairwise key the store is in step with now (a rotation in this process or another since it
    /// started); nil under the keyed-hash scheme.
    private static func currentPairwiseKey(_ context: NodeContext) -> PairwiseMaskingKey? {
        guard context.config.scheme == .ecdhX25519, context.keys.pairwiseKey != nil else { return context.keys.pairwiseKey }
        return (try? context.store.read { db in try context.pairwise.current(db) }) ?? context.pairwise.loaded
    }

    /// Keyed hash: the token of `identifier` under `epoch`, nil when this node holds no key of it.
    func keyedValue(_ identifier: SubjectIdentifier, epoch: UInt32) -> Token? {
        heldTokenizers[epoch]?.tokensInParallel(for: [identifier], threads: 1).first
    }

    /// The origin of the own domain: `*` under the keyed-hash scheme (every origin's entries carry
    /// the same tokens), this member under the pairwise scheme (only its own entries carry `q`).
    var ownOrigin: String { scheme == .keyedHash ? WatchDomain.everyOrigin : member }

    /// The epoch of the own domain's values.
    func ownEpoch() throws(NodeError) -> UInt32 {
        switch scheme {
        case .keyedHash: return tokenizer.descriptor.epoch
        case .ecdhX25519: return try requirePairwiseKey().epoch
        }
    }

    func requirePairwiseKey() throws(NodeError) -> PairwiseMaskingKey {
        guard let pairwiseKey else { throw .configuration("the alliance uses ecdh-x25519 but this node has no pairwise key") }
        return pairwiseKey
    }

    /// The own value of each identifier, on `threads` threads.
    func ownValues(_ identifiers: [SubjectIdentifier], threads: Int = 2) throws(NodeError) -> [Token] {
        switch scheme {
        case .keyedHash:
            return tokenizer.tokensInParallel(for: identifiers, threads: threads)
        case .ecdhX25519:
            let key = try requirePairwiseKey()
            do {
                return try key.maskInParallel(identifiers.map(PairwiseMaskingKey.point(for:)), threads: threads)
            } catch {
                throw .protocolViolation("masking watched accounts", underlying: error)
            }
        }
    }

    /// The own value of one identifier.
    func ownValue(_ identifier: SubjectIdentifier) throws(NodeError) -> Token {
        try ownValues([identifier], threads: 1)[0]
    }
}

/// How a value is kept in `watch_index`: its first 64 bits as the key, and for peer rows the next
/// 24 bits as a tail that confirms a hit (own rows are confirmed from the sealed identifier).
enum WatchFingerprint {
    static func key(_ token: Token) -> Int64 { Int64(bitPattern: token.w0) }
    static func tail(_ token: Token) -> Int64 { Int64(bitPattern: token.w1) >> 40 }
}
