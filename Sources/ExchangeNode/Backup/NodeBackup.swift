#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Crypto
import ExchangeAudit
import ExchangeCrypto
import ExchangeProtocol
import ExchangeRuntime
import Foundation
import GRDB

/// `exchange-node backup`: one consistent snapshot of a node home — store, configuration, peers, keys,
/// audit log — in one file (a ustar archive, mode 0600) whose first member is a manifest with each
/// file's SHA-256 (docs/operations.md, "Design: backup file format"). Works while `serve` runs.
///
/// Order: the store is copied through SQLite's online backup from one read transaction while this
/// process holds the pairwise key's rotation lock, so the key files and the store's key epoch are from
/// the same side of a rotation; then the other files of the home; then a `node.backup` audit record is
/// appended and the audit log copied under its own lock. Everything is staged in a directory beside
/// the output, the archive is written to `OUT.partial`, fsynced and renamed to `OUT`.
package struct NodeBackup {
    let context: NodeContext

    package init(context: NodeContext) {
        self.context = context
    }

    /// What was written.
    package struct Summary: Sendable {
        package let path: String
        package let bytes: UInt64
        package let manifest: BackupManifest
    }

    /// Files and directories of a home that a backup leaves out: the store's own files (the snapshot
    /// replaces them), locks and an interrupted rotation's next key (taken under the rotation's lock, the
    /// snapshot never needs it), and the audit directory (copied on its own, under its lock).
    static func isLeftOut(_ relative: String) -> Bool {
        let skipped: Set<String> = ["store.sqlite", "store.sqlite-wal", "store.sqlite-shm", "store.sqlite-journal", "keys/ecdh.key.next"]
        return skipped.contains(relative) || relative == "audit" || relative.hasPrefix("audit/") || relative.hasSuffix(".lock")
    }

    /// Writes the backup to `out`, or to `out/exchange-node-MEMBER-YYYYMMDDTHHMMSSZ.xnbk` when `out` is a
    /// directory. Refuses to replace a file.
    package func write(to out: String) throws(NodeError) -> Summary {
        let now = Date()
        let target = try Self.targetPath(out, member: context.member, at: now)
        guard !FileManager.default.fileExists(atPath: target) else {
            throw .fileUnwritable(target, reason: "it exists; a backup never replaces a file")
        }
        let outputDirectory = (target as NSString).deletingLastPathComponent
        let staging = try Self.makeStagingDirectory(in: outputDirectory, named: (target as NSString).lastPathComponent)
        defer { try? FileManager.default.removeItem(atPath: staging) }

        // 1. The store and the rest of the home, under the key locks (no pairwise rotation, token-key
        // changeover or retirement changes keys and store between the two copies).
        let storeInfo: BackupManifest.Store
        do {
            let pairwiseLock = try FileLock.acquire(context.home.ecdhLockFile)
            let tokenKeyLock = try FileLock.acquire(context.home.tokenKeyLockFile)
            defer { withExtendedLifetime((pairwiseLock, tokenKeyLock)) {} }
            storeInfo = try snapshotStore(into: staging + "/store.sqlite")
            try copyHomeFiles(into: staging)
        }
        // 2. The audit log, with this backup's own record in it.
        context.audit.append(AuditEvent(actor: AuditEvent.localActor, role: .operator, action: "node.backup", outcome: .ok,
                                        detail: ["head": .seq(storeInfo.ownSeq), "entries": .count(storeInfo.entries)]))
        do {
            try context.audit.flush()
        } catch {
            throw .fileUnwritable(context.home.auditDirectory.path, reason: "cannot flush the audit log", underlying: error)
        }
        let auditFiles: [String]
        do {
            auditFiles = try AuditSnapshot.copy(directory: context.home.auditDirectory.path, to: staging + "/audit")
        } catch {
            throw .fileUnwritable(staging + "/audit", reason: "cannot copy the audit log", underlying: error)
        }
        // 3. The manifest, then the archive.
        let files = try Self.describeFiles(in: staging)
        let manifest = BackupManifest(
            format: BackupManifest.formatName, version: BackupManifest.currentVersion,
            createdAt: ISO8601.format(seconds: Int64(now.timeIntervalSince1970)), member: context.member,
            alliance: context.config.alliance, scheme: context.config.scheme.rawValue, store: storeInfo,
            audit: .init(files: auditFiles), files: files)
        let partial = target + ".partial"
        try? FileManager.default.removeItem(atPath: partial)
        do throws(NodeError) {
            let writer = try TarWriter(creating: partial)
            let modified = Int64(now.timeIntervalSince1970)
            try writer.add(BackupManifest.fileName, bytes: try Self.encode(manifest), mode: 0o600, modifiedAt: modified)
            for file in files {
                let written = try writer.add(file.path, file: staging + "/" + file.path, mode: BackupManifest.restoredMode(file.mode) ?? 0o600,
                                             modifiedAt: modified)
                guard written.size == file.size, written.sha256 == file.sha256 else {
                    throw NodeError.fileUnreadable(staging + "/" + file.path, reason: "changed while the backup was written")
                }
            }
            try writer.finish()
            try Self.rename(partial, to: target)
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
        let bytes = ((try? FileManager.default.attributesOfItem(atPath: target)[.size]) as? NSNumber)?.uint64Value ?? 0
        return Summary(path: target, bytes: bytes, manifest: manifest)
    }

    /// SQLite's online backup from one read transaction of the live store into `path`.
    private func snapshotStore(into path: String) throws(NodeError) -> BackupManifest.Store {
        do {
            let destination = try DatabaseQueue(path: path)
            try context.store.pool.backup(to: destination)
            let info = try destination.read { db in
                BackupManifest.Store(
                    migrations: try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier"),
                    ownSeq: UInt64(try NodeState.get(db, OwnEventWriter.sequenceKey) ?? 0),
                    entries: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM entries") ?? 0,
                    outboxSeq: try Int64.fetchOne(db, sql: "SELECT seq FROM sqlite_sequence WHERE name = 'outbox'") ?? 0)
            }
            try destination.close()
            return info
        } catch let error as NodeError {
            throw error
        } catch {
            throw .store("cannot snapshot the store into \(path)", underlying: error)
        }
    }

    /// Copies every regular file of the home that is not left out, keeping its mode.
    private func copyHomeFiles(into staging: String) throws(NodeError) {
        let root = context.home.root.path
        guard let walker = FileManager.default.enumerator(atPath: root) else {
            throw .fileUnreadable(root, reason: "cannot list the home")
        }
        while let relative = walker.nextObject() as? String {
            if Self.isLeftOut(relative) {
                if relative == "audit" { walker.skipDescendants() }
                continue
            }
            let source = root + "/" + relative
            var info = stat()
            guard lstat(source, &info) == 0 else { throw .fileUnreadable(source, reason: String(cString: strerror(errno))) }
            let kind = info.st_mode & S_IFMT
            if kind == S_IFDIR { continue }
            guard kind == S_IFREG else { continue }  // sockets, links: not part of a node home
            guard BackupManifest.isSafe(relative) else {
                throw .fileUnreadable(source, reason: "its name cannot go into a backup (letters, digits, '.', '_', '-' only)")
            }
            let target = staging + "/" + relative
            do {
                try FileManager.default.createDirectory(atPath: (target as NSString).deletingLastPathComponent,
                                                        withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
                try FileManager.default.copyItem(atPath: source, toPath: target)
                try FileManager.default.setAttributes([.posixPermissions: Int(info.st_mode & 0o777)], ofItemAtPath: target)
            } catch {
                throw .fileUnwritable(target, reason: "cannot copy \(source)", underlying: error)
            }
        }
    }

    /// Every staged file, `store.sqlite` first, then by path, with size, mode and SHA-256.
    private static func describeFiles(in staging: String) throws(NodeError) -> [BackupManifest.File] {
        guard let walker = FileManager.default.enumerator(atPath: staging) else {
            throw .fileUnreadable(staging, reason: "cannot list the staged files")
        }
        var paths: [String] = []
        while let relative = walker.nextObject() as? String {
            var info = stat()
            if lstat(staging + "/" + relative, &info) == 0, info.st_mode & S_IFMT == S_IFREG { paths.append(relative) }
        }
        paths.sort { ($0 == "store.sqlite" ? 0 : 1, $0) < ($1 == "store.sqlite" ? 0 : 1, $1) }
        var files: [BackupManifest.File] = []
        for path in paths {
            let full = staging + "/" + path
            var info = stat()
            guard lstat(full, &info) == 0 else { throw .fileUnreadable(full, reason: String(cString: strerror(errno))) }
            files.append(BackupManifest.File(path: path, size: UInt64(info.st_size), mode: String(format: "%04o", info.st_mode & 0o7777),
                                             sha256: try sha256(of: full)))
        }
        return files
    }

    static func sha256(of path: String) throws(NodeError) -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else { throw .fileUnreadable(path, reason: "cannot open") }
        defer { try? handle.close() }
        var hasher = SHA256()
        while true {
            let data: Data
            do {
                data = try handle.read(upToCount: 1 << 20) ?? Data()
            } catch {
                throw .fileUnreadable(path, reason: "cannot read", underlying: error)
            }
            if data.isEmpty { break }
            hasher.update(data: data)
        }
        return Hex.encode(hasher.finalize())
    }

    static func encode(_ manifest: BackupManifest) throws(NodeError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(manifest)) + [UInt8(ascii: "\n")]
        } catch {
            throw .invalidArgument("cannot encode the backup manifest: \(error)")
        }
    }

    /// `out`, or a file named after the member and the time inside `out` when it is a directory.
    static func targetPath(_ out: String, member: String, at date: Date) throws(NodeError) -> String {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: out, isDirectory: &isDirectory), isDirectory.boolValue else { return out }
        let stamp = ISO8601.format(seconds: Int64(date.timeIntervalSince1970))
            .replacingOccurrences(of: "-", with: "").replacingOccurrences(of: ":", with: "")
        return (out as NSString).appendingPathComponent("exchange-node-\(member)-\(stamp).xnbk")
    }

    private static func makeStagingDirectory(in directory: String, named name: String) throws(NodeError) -> String {
        let path = (directory as NSString).appendingPathComponent(".\(name).staging-\(UUID().uuidString.prefix(8).lowercased())")
        do {
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: false,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw .fileUnwritable(path, reason: "cannot create the staging directory", underlying: error)
        }
        return path
    }

    /// `rename(2)`, then an fsync of the directory so the new name survives a power loss.
    static func rename(_ source: String, to target: String) throws(NodeError) {
        guard Glibc.rename(source, target) == 0 else {
            throw .fileUnwritable(target, reason: "cannot rename \(source): \(String(cString: strerror(errno)))")
        }
        let directory = open((target as NSString).deletingLastPathComponent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        if directory >= 0 {
            _ = fsync(directory)
            close(directory)
        }
    }
}
