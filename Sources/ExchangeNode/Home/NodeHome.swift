import Foundation

/// The paths inside a node's home directory. One place names them all.
///
/// ```
/// HOME/node.json              configuration (NodeConfig)
/// HOME/store.sqlite           the node store (SQLite, WAL)
/// HOME/keys/node.key.pem      the node's P-256 key (0600): TLS identity and event signatures
/// HOME/keys/node.cert.pem     its alliance certificate
/// HOME/keys/ca.pem            the alliance CA certificate
/// HOME/keys/token-key.json    the alliance keyed-hash token key (0600)
/// HOME/keys/seal.key          node-local AES-GCM key sealing kept identifiers (0600)
/// HOME/keys/internal-api.token bearer token of the internal screening API (0600)
/// HOME/keys/revoked.json      the CA-signed certificate revocation list (optional)
/// HOME/peers/<ID>.json        one file per peer (PeerConfig)
/// HOME/webhooks/<ID>.json     one file per webhook endpoint (WebhookRegistration, 0600)
/// HOME/keys/webhooks/<ID>.secret  its signing secret (0600)
/// HOME/audit/                 the hash-chained audit log
/// HOME/outbox/outbox.jsonl    matches and retractions delivered to the member's systems
/// ```
public struct NodeHome: Sendable {
    public let root: URL

    public init(_ path: String) {
        root = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
    }

    public var path: String { root.path }
    public var configFile: URL { root.appendingPathComponent("node.json") }
    public var storeFile: URL { root.appendingPathComponent("store.sqlite") }
    public var keysDirectory: URL { root.appendingPathComponent("keys", isDirectory: true) }
    public var nodeKeyFile: URL { keysDirectory.appendingPathComponent("node.key.pem") }
    public var nodeCertificateFile: URL { keysDirectory.appendingPathComponent("node.cert.pem") }
    public var caCertificateFile: URL { keysDirectory.appendingPathComponent("ca.pem") }
    public var tokenKeyFile: URL { keysDirectory.appendingPathComponent("token-key.json") }
    public var sealKeyFile: URL { keysDirectory.appendingPathComponent("seal.key") }
    public var ecdhKeyFile: URL { keysDirectory.appendingPathComponent("ecdh.key") }
    public var internalTokenFile: URL { keysDirectory.appendingPathComponent("internal-api.token") }
    public var revocationListFile: URL { keysDirectory.appendingPathComponent("revoked.json") }
    public var peersDirectory: URL { root.appendingPathComponent("peers", isDirectory: true) }
    public var auditDirectory: URL { root.appendingPathComponent("audit", isDirectory: true) }
    public var outboxDirectory: URL { root.appendingPathComponent("outbox", isDirectory: true) }
    public var outboxFile: URL { outboxDirectory.appendingPathComponent("outbox.jsonl") }
    public var policyFile: URL { root.appendingPathComponent("measures-policy.json") }

    public func peerFile(_ member: String) -> URL { peersDirectory.appendingPathComponent("\(member).json") }
    public var webhooksDirectory: URL { root.appendingPathComponent("webhooks", isDirectory: true) }
    public func webhookFile(_ id: String) -> URL { webhooksDirectory.appendingPathComponent("\(id).json") }
    public func webhookSecretFile(_ id: String) -> URL {
        keysDirectory.appendingPathComponent("webhooks", isDirectory: true).appendingPathComponent("\(id).secret")
    }

    public var exists: Bool { FileManager.default.fileExists(atPath: configFile.path) }
}
