import ExchangeAudit
import ExchangeCrypto
import Foundation
import Logging

/// An opened node home: configuration, keys, store, peers and audit log, loaded once per command.
public final class NodeContext: Sendable {
    public let home: NodeHome
    public let config: NodeConfig
    public let keys: NodeKeys
    public let store: NodeStore
    public let peers: PeerDirectory
    public let audit: AuditLog
    public let logger: Logger

    public init(home: NodeHome) throws(NodeError) {
        guard home.exists else { throw .notInitialised(home.path) }
        self.home = home
        config = try NodeConfig.load(from: home)
        store = try NodeStore(home: home)
        // A pairwise key rotation a kill interrupted is finished or undone before the keys are read.
        try PairwiseKeyRotation.resolveInterrupted(home: home, store: store)
        keys = try NodeKeys.load(from: home)
        peers = try PeerDirectory.load(from: home)
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

    /// The tokenizer of the alliance's current keyed-hash epoch.
    public var tokenizer: KeyedHashTokenizer { keys.tokenizer }

    /// What this node publishes its own entries with: the keyed hash, or under the pairwise
    /// scheme its own X25519 mask.
    public func publishTokenizer() throws(NodeError) -> any SubjectTokenizer {
        switch config.scheme {
        case .keyedHash: return keys.tokenizer
        case .ecdhX25519:
            guard let key = keys.pairwiseKey else {
                throw .configuration("the alliance uses ecdh-x25519 but \(home.ecdhKeyFile.path) is missing")
            }
            return PairwiseTokenizer(key: key)
        }
    }
}
