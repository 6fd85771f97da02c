import ExchangeAudit
import ExchangeCrypto
import Foundation
import Logging
import Synchronization

/// An opened node home: configuration, keys, store, peers and audit log, loaded once per command.
public final class NodeContext: Sendable {
    public let home: NodeHome
    public let config: NodeConfig
    public let keys: NodeKeys
    public let store: NodeStore
    public let audit: AuditLog
    public let logger: Logger
    /// `HOME/peers/` as it is now, without the members the coordinator expelled (re-read when it changes).
    let livePeers: LivePeerDirectory
    /// The pairwise key in step with the store (follows a rotation made by any process).
    let pairwise: LivePairwiseKey
    /// Token-key epochs this process already logged it could not move to (logged once each).
    private let refusedEpochs = Mutex<Set<UInt32>>([])

    public init(home: NodeHome) throws(NodeError) {
        guard home.exists else { throw .notInitialised(home.path) }
        self.home = home
        config = try NodeConfig.load(from: home)
        store = try NodeStore(home: home)
        // A pairwise key rotation or a token-key changeover a kill interrupted is finished or undone
        // before the keys are read.
        try PairwiseKeyRotation.resolveInterrupted(home: home, store: store)
        try TokenEpochChangeover.resolveInterrupted(home: home, store: store)
        keys = try NodeKeys.load(from: home)
        if config.scheme == .keyedHash { try TokenEpochs.bootstrap(store, own: keys.tokenKey) }
        let expelled = try store.read { db in try ExpelledMembers.members(db) }
        livePeers = try LivePeerDirectory(home: home, expelled: expelled)
        pairwise = LivePairwiseKey(home: home, loaded: keys.pairwiseKey)
        do {
            audit = try AuditLog(directory: home.auditDirectory.path, signingKey: keys.signingKey)
        } catch {
            throw .fileUnwritable(home.auditDirectory.path, reason: "cannot open the audit log", underlying: error)
        }
        var logger = Logger(label: "exchange-node")
        logger[metadataKey: "member"] = .string(config.member)
        self.logger = logger
    }

    deinit {
        try? audit.close()
    }

    public var member: String { config.member }

    /// The peers now: `HOME/peers/` as it is, without expelled members.
    public var peers: PeerDirectory { livePeers.current }

    /// True the first time this process is told it could not move to `epoch` (so it logs that once).
    func refusalNoted(epoch: UInt32) -> Bool {
        refusedEpochs.withLock { $0.insert(epoch).inserted }
    }

    /// The tokenizer of the alliance's current keyed-hash epoch.
    public var tokenizer: KeyedHashTokenizer { keys.tokenizer }

    /// What this node publishes its own entries with: the keyed hash, or under the pairwise
    /// scheme its own X25519 mask.
    public func publishTokenizer() throws(NodeError) -> any SubjectTokenizer {
        switch config.scheme {
        case .keyedHash: return KeyedHashTokenizer(key: try NodeKeys.loadTokenKey(home.tokenKeyFile))
        case .ecdhX25519:
            let key: PairwiseMaskingKey
            do {
                key = try store.read { db in try pairwise.current(db) }
            } catch {
                throw .configuration("the alliance uses ecdh-x25519 but \(home.ecdhKeyFile.path) is missing or out of step")
            }
            return PairwiseTokenizer(key: key)
        }
    }
}
