import Foundation

/// A consistent copy of an audit log for a backup: `audit.log`, `head` and any `recovered-tail-*.bin`,
/// copied while holding the log's exclusive lock (`DIRECTORY/lock`), so that no writer — in this
/// process or another — is between two lines and the head and the log are a pair the verifier
/// accepts. The lock file and the writers' markers are not copied: a restored log has no running writers.
public enum AuditSnapshot {
    /// Copies the log's files from `directory` into `destination` (created, 0700) and returns their names.
    public static func copy(directory: String, to destination: String) throws(AuditError) -> [String] {
        do {
            try FileManager.default.createDirectory(atPath: destination, withIntermediateDirectories: true,
                                                    attributes: [.posixPermissions: 0o700])
        } catch {
            throw .cannotWrite(path: destination, reason: "cannot create the directory")
        }
        let lock = try AuditFileLock.openForWriting(directory: directory)
        defer { lock.close() }
        try lock.lockExclusive()
        defer { lock.unlock() }
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: directory)
                .filter { $0 == AuditLog.logFileName || $0 == AuditHead.fileName || ($0.hasPrefix("recovered-tail-") && $0.hasSuffix(".bin")) }
                .sorted()
        } catch {
            throw .cannotOpen(path: directory, reason: "cannot list the directory")
        }
        for name in names {
            let source = directory + "/" + name
            let target = destination + "/" + name
            do {
                try FileManager.default.copyItem(atPath: source, toPath: target)
                try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: target)
            } catch {
                throw .cannotWrite(path: target, reason: "cannot copy \(source)")
            }
        }
        return names
    }
}
