import Foundation

/// The paths inside the coordinator's home directory (its own home, never a node's):
///
/// ```
/// HOME/coordinator.json          configuration (CoordinatorConfig)
/// HOME/members.json              the membership registry (MembershipRegistry)
/// HOME/reports.sqlite            received daily counters, one report per (member, day) (ReportStore)
/// HOME/keys/coordinator.key.pem  the coordinator's P-256 key (0600): TLS identity, audit checkpoints
/// HOME/keys/coordinator.cert.pem its alliance certificate (role coordinator)
/// HOME/keys/ca.pem               the alliance CA certificate
/// HOME/keys/revoked.json         the CA-signed revocation list (when no CA folder is configured)
/// HOME/keys/token-keys/epoch-N.json  the alliance keyed-hash token key of each epoch (0600)
/// HOME/audit/                    the hash-chained audit log
/// HOME/logs/coordinator.log      the service log (counts, member ids, codes; never identifiers)
/// HOME/reports/                  monthly reports written by `coordinator report`
/// ```
public struct CoordinatorHome: Sendable {
    public let root: URL

    public init(_ path: String) {
        root = URL(fileURLWithPath: path, isDirectory: true).standardizedFileURL
    }

    public var path: String { root.path }
    public var configFile: URL { root.appendingPathComponent("coordinator.json") }
    public var membersFile: URL { root.appendingPathComponent("members.json") }
    public var storeFile: URL { root.appendingPathComponent("reports.sqlite") }
    public var keysDirectory: URL { root.appendingPathComponent("keys", isDirectory: true) }
    public var keyFile: URL { keysDirectory.appendingPathComponent("coordinator.key.pem") }
    public var certificateFile: URL { keysDirectory.appendingPathComponent("coordinator.cert.pem") }
    public var caCertificateFile: URL { keysDirectory.appendingPathComponent("ca.pem") }
    public var revocationListFile: URL { keysDirectory.appendingPathComponent("revoked.json") }
    public var tokenKeysDirectory: URL { keysDirectory.appendingPathComponent("token-keys", isDirectory: true) }
    public var auditDirectory: URL { root.appendingPathComponent("audit", isDirectory: true) }
    public var logsDirectory: URL { root.appendingPathComponent("logs", isDirectory: true) }
    public var logFile: URL { logsDirectory.appendingPathComponent("coordinator.log") }
    public var reportsDirectory: URL { root.appendingPathComponent("reports", isDirectory: true) }

    public func tokenKeyFile(epoch: UInt32) -> URL { tokenKeysDirectory.appendingPathComponent("epoch-\(epoch).json") }

    public var exists: Bool { FileManager.default.fileExists(atPath: configFile.path) }
}
