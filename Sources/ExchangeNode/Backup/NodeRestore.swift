#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Crypto
import ExchangeAudit
import ExchangeProtocol
import ExchangeRuntime
import Foundation
import GRDB
import X509

/// `exchange-node restore FILE --home NEW` (docs/operations.md, "Design: restore"): checks a backup
/// file member by member against its manifest, extracts it into a temporary directory beside `NEW`,
/// checks the result (store, keys, configuration, audit log), marks the node as restored — it will take
/// its own feed back from its peers before it publishes anything — and renames the directory to `NEW`.
/// A refusal leaves nothing behind.
package struct NodeRestore {
    let archive: String
    let home: NodeHome

    /// The gap left in the outbox's sequence numbers after a restore, so that a consumer's cursor or a
    /// webhook receiver's idempotency key from the lost home never meets a different record.
    package static let outboxSequenceGap: Int64 = 1_000_000_000

    package init(archive: String, home: NodeHome) {
        self.archive = archive
        self.home = home
    }

    /// What was restored.
    package struct Summary: Sendable {
        package let manifest: BackupManifest
        package let files: Int
        /// The audit log's verification report (its first problem, when it is not intact).
        package let auditReport: [String]
        package let auditIntact: Bool
    }

    package func run() throws(NodeError) -> Summary {
        let target = home.root.path
        try Self.ensureFree(target)
        let parent = (target as NSString).deletingLastPathComponent
        let staging = (parent as NSString).appendingPathComponent(".\((target as NSString).lastPathComponent).restoring-\(UUID().uuidString.prefix(8).lowercased())")
        do {
            try FileManager.default.createDirectory(atPath: staging, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .fileUnwritable(staging, reason: "cannot create the directory", underlying: error)
        }
        var renamed = false
        defer { if !renamed { try? FileManager.default.removeItem(atPath: staging) } }

        let manifest = try extract(into: staging)
        let restored = NodeHome(staging)
        let (auditReport, intact) = try check(restored, manifest: manifest)
        try markRestored(restored, manifest: manifest)
        try NodeBackup.rename(staging, to: target)
        renamed = true
        return Summary(manifest: manifest, files: manifest.files.count, auditReport: auditReport, auditIntact: intact)
    }

    /// `NEW` must not exist, or be an empty directory (as systemd's `StateDirectory=` makes it).
    static func ensureFree(_ path: String) throws(NodeError) {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else { return }
        let contents = isDirectory.boolValue ? ((try? FileManager.default.contentsOfDirectory(atPath: path)) ?? ["?"]) : ["?"]
        guard contents.isEmpty else {
            throw NodeError(.alreadyInitialised, "\(path) exists and is not empty; restore only writes a new home")
        }
    }

    /// Reads the manifest, then every member, checking each against it.
    private func extract(into staging: String) throws(NodeError) -> BackupManifest {
        let reader = try TarReader(path: archive)
        guard let first = try reader.next(), first.path == BackupManifest.fileName else {
            throw .backupInvalid(archive, "not an exchange-node backup (its first member is not \(BackupManifest.fileName))")
        }
        let manifest: BackupManifest
        do {
            manifest = try JSONDecoder().decode(BackupManifest.self, from: Data(try reader.content(of: first, limit: BackupManifest.maxBytes)))
        } catch let error as NodeError {
            throw error
        } catch {
            throw .backupInvalid(archive, "its manifest does not decode", underlying: error)
        }
        guard manifest.format == BackupManifest.formatName else { throw .backupInvalid(archive, "unknown format '\(manifest.format)'") }
        guard manifest.version <= BackupManifest.currentVersion else {
            throw .backupInvalid(archive, "format version \(manifest.version) is newer than this exchange-node reads (\(BackupManifest.currentVersion))")
        }
        var expected: [String: BackupManifest.File] = [:]
        for file in manifest.files {
            guard BackupManifest.isSafe(file.path) else { throw .backupInvalid(archive, "the manifest lists an unsafe path '\(file.path)'") }
            guard BackupManifest.restoredMode(file.mode) != nil else { throw .backupInvalid(archive, "\(file.path): bad mode '\(file.mode)'") }
            guard expected.updateValue(file, forKey: file.path) == nil else { throw .backupInvalid(archive, "\(file.path) is listed twice") }
        }
        var seen = Set<String>()
        while let header = try reader.next() {
            guard let file = expected[header.path] else {
                throw .backupInvalid(archive, "the archive holds '\(header.path)', which the manifest does not list")
            }
            guard seen.insert(header.path).inserted else { throw .backupInvalid(archive, "\(header.path) appears twice") }
            guard header.size == file.size else {
                throw .backupInvalid(archive, "\(header.path) has \(header.size) bytes, the manifest says \(file.size)")
            }
            let destination = staging + "/" + header.path
            do {
                try FileManager.default.createDirectory(atPath: (destination as NSString).deletingLastPathComponent,
                                                        withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
            } catch {
                throw .fileUnwritable(destination, reason: "cannot create its directory", underlying: error)
            }
            let digest = try reader.extract(header, to: destination, mode: BackupManifest.restoredMode(file.mode) ?? 0o600)
            guard digest == file.sha256 else {
                throw .backupInvalid(archive, "\(header.path) does not match its SHA-256 in the manifest (the file is damaged)")
            }
        }
        let missing = Set(expected.keys).subtracting(seen)
        guard missing.isEmpty else {
            throw .backupInvalid(archive, "the archive lacks \(missing.sorted().joined(separator: ", ")), which the manifest lists")
        }
        return manifest
    }

    /// The restored home must open: store (integrity, migrations this binary knows), configuration of the
    /// manifest's member, key matching its certificate issued by the CA. Returns the audit log's report.
    private func check(_ restored: NodeHome, manifest: BackupManifest) throws(NodeError) -> (report: [String], intact: Bool) {
        let config = try NodeConfig.load(from: restored)
        guard config.member == manifest.member else {
            throw .backupInvalid(archive, "node.json names member \(config.member), the manifest \(manifest.member)")
        }
        let store = try NodeStore(home: restored)
        let integrity = try store.read { db in try String.fetchAll(db, sql: "PRAGMA quick_check") }
        try? store.pool.close()
        guard integrity == ["ok"] else {
            throw .backupInvalid(archive, "the store fails SQLite's quick_check: \(integrity.prefix(3).joined(separator: "; "))")
        }
        let keys = try NodeKeys.load(from: restored)
        guard P256.Signing.PublicKey(keys.certificate.publicKey)?.rawRepresentation == keys.signingKey.publicKey.rawRepresentation else {
            throw .backupInvalid(archive, "keys/node.key.pem is not the key of keys/node.cert.pem")
        }
        guard keys.caCertificate.publicKey.isValidSignature(keys.certificate.signature, for: keys.certificate) else {
            throw .backupInvalid(archive, "keys/node.cert.pem was not issued by keys/ca.pem")
        }
        do {
            let verification = try AuditLog.verify(directory: restored.auditDirectory.path, publicKey: keys.signingKey.publicKey)
            return (verification.reportLines, verification.isIntact)
        } catch {
            throw .backupInvalid(archive, "its audit log cannot be read", underlying: error)
        }
    }

    /// In one store transaction: the node is restored, its feed must be recovered from the backup's
    /// head, and the outbox continues well above anything a consumer may have seen. Then a
    /// `node.restore` audit record.
    private func markRestored(_ restored: NodeHome, manifest: BackupManifest) throws(NodeError) {
        let store = try NodeStore(home: restored)
        let ownSeq = try store.write { db -> UInt64 in
            let ownSeq = UInt64(try NodeState.get(db, OwnEventWriter.sequenceKey) ?? 0)
            try FeedRecoveryState.begin(fromSeq: ownSeq, at: NodeClock.nowMillis(), db)
            let outbox = try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'outbox'") ?? 0
            try db.execute(sql: "DELETE FROM sqlite_sequence WHERE name = 'outbox'")
            try db.execute(sql: "INSERT INTO sqlite_sequence (name, seq) VALUES ('outbox', ?)", arguments: [outbox + Self.outboxSequenceGap])
            return ownSeq
        }
        do {
            try store.pool.close()
        } catch {
            throw .store("cannot close the restored store", underlying: error)
        }
        let keys = try NodeKeys.load(from: restored)
        do {
            let log = try AuditLog(directory: restored.auditDirectory.path, signingKey: keys.signingKey)
            log.append(AuditEvent(actor: AuditEvent.localActor, role: .operator, action: "node.restore", outcome: .ok,
                                  detail: ["head": .seq(ownSeq), "files": .count(manifest.files.count)]))
            try log.close()
        } catch {
            throw .fileUnwritable(restored.auditDirectory.path, reason: "cannot write the restore's audit record", underlying: error)
        }
    }
}
