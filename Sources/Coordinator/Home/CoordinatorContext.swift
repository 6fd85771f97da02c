import AlliancePKI
import Crypto
import ExchangeAudit
import ExchangeProtocol
import ExchangeRuntime
import Foundation
import Logging

/// An opened coordinator home: configuration, credentials, report store, audit log and logger.
/// The membership registry and the token keys are re-read when asked for, so that
/// `coordinator member add` and `coordinator token-key rotate` take effect on a running server.
public final class CoordinatorContext: Sendable {
    public let home: CoordinatorHome
    public let config: CoordinatorConfig
    public let credentials: MemberCredentials
    public let store: ReportStore
    public let audit: AuditLog
    public let logger: Logger
    /// The revocation list the mTLS listener enforces (see ``refreshRevocations()``).
    public let revocations: LiveRevocationList

    /// Opens `home`. The log goes to `HOME/logs/coordinator.log` and, with `echoLog`, to standard error.
    public init(home: CoordinatorHome, echoLog: Bool = true, logLevel: Logger.Level = .info) throws(CoordinatorError) {
        guard home.exists else {
            throw .notInitialised(home.path)
        }
        self.home = home
        config = try CoordinatorConfig.load(from: home)
        do {
            credentials = try MemberCredentials.load(certificatePath: home.certificateFile.path, keyPath: home.keyFile.path,
                                                     caPath: home.caCertificateFile.path)
        } catch {
            throw .configuration("coordinator credentials", underlying: error)
        }
        let signingKey: P256.Signing.PrivateKey
        do {
            signingKey = try KeyFile.readPrivateKey(path: home.keyFile.path)
        } catch {
            throw .configuration("coordinator key", underlying: error)
        }
        store = try ReportStore(path: home.storeFile.path)
        do {
            audit = try AuditLog(directory: home.auditDirectory.path, signingKey: signingKey)
        } catch {
            throw .fileUnwritable(home.auditDirectory.path, reason: "cannot open the audit log", underlying: error)
        }
        let sink = try CoordinatorError.files(FileLogHandler.Sink(path: home.logFile.path))
        var logger = Logger(label: "exchange-node.coordinator") { label in
            var file = FileLogHandler(sink: sink)
            file.logLevel = logLevel
            guard echoLog else { return file }
            // Standard error follows the process's log format (text, or JSON with `--log-format json`).
            return MultiplexLogHandler([file, StandardErrorLogHandler(label: label, level: logLevel)])
        }
        logger.logLevel = logLevel
        logger[metadataKey: "coordinator"] = .string(config.member)
        self.logger = logger
        revocations = LiveRevocationList(nil)
        try refreshRevocations()
        // Every command that opens the home retires the token keys past their changeover deadline.
        try TokenKeyRetirement(coordinator: self).run()
    }

    deinit {
        try? audit.close()
    }

    public var member: String { config.member }

    /// The membership registry as it is on disk now.
    public func registry() throws(CoordinatorError) -> MembershipRegistry { try MembershipRegistry.load(from: home) }

    /// The token keys as they are on disk now.
    public func tokenKeys() throws(CoordinatorError) -> TokenKeyRing { try TokenKeyRing.load(from: home) }

    /// Re-reads the revocation list (the CA folder's when configured), verifies it against the CA
    /// and enforces it if it is not older than the current one. Returns the verified file's bytes,
    /// nil when there is no list.
    @discardableResult
    public func refreshRevocations() throws(CoordinatorError) -> Data? {
        let path = config.revocationListPath(in: home)
        guard FileManager.default.fileExists(atPath: path) else { return nil }
        let list: RevocationList
        do {
            list = try RevocationList.load(path: path, caCertificate: credentials.caCertificate)
        } catch {
            throw .configuration("revocation list \(path)", underlying: error)
        }
        let before = revocations.current?.serials
        if revocations.replace(with: list), before != nil, before != list.serials {
            logger.notice("revocation list changed", metadata: ["revoked": "\(list.serials.count)"])
        }
        do {
            return try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            throw .fileUnreadable(path, reason: "cannot read")
        }
    }

    /// The statistics over every report received, with every registered node on the roster.
    public func statistics() throws(CoordinatorError) -> AllianceStatistics {
        AllianceStatistics(rows: try store.rows(), roster: try registry().nodes.map(\.member))
    }
}
