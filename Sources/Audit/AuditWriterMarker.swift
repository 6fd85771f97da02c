import ExchangeProtocol
import ExchangeRuntime
import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `DIRECTORY/writers/<pid>-<random>`: one small file per open `AuditLog`, created when it opens,
/// removed when it closes, and `flock`ed by its owner all the while.
///
/// This is how the log tells a writer that ended without `close()` (killed, crashed, dropped)
/// from one that is simply still running in another process: the kernel releases the lock of a
/// dead process, so a marker that nobody holds locked belongs to a writer that is gone. Markers
/// are created, removed and examined only under the log lock (``AuditFileLock``), so a new
/// writer's marker is never seen before its owner has locked it.
struct AuditWriterMarker: Sendable {
    static let directoryName = "writers"

    let file: AuditFile

    /// Creates and locks this writer's marker. Call with the log lock held.
    static func register(directory: String, seq: UInt64) throws(AuditError) -> AuditWriterMarker {
        let folder = directory + "/" + directoryName
        try AuditFile.makeDirectory(folder)
        let name = "\(getpid())-\(String(UInt64.random(in: .min ... .max), radix: 16))"
        let path = folder + "/" + name
        let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: AuditFile.lastError()) }
        let file = AuditFile(descriptor: fd, path: path)
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let reason = AuditFile.lastError()
            unlink(path)
            file.close()
            throw .cannotOpen(path: path, reason: "cannot lock: " + reason)
        }
        do {
            try file.writeAll(Array("pid=\(getpid()) opened=\(ISO8601.format(millis: NodeClock.nowMillis())) seq=\(seq)\n".utf8))
        } catch {
            unlink(path)
            file.close()
            throw error
        }
        return AuditWriterMarker(file: file)
    }

    /// Removes the marker on a proper close. Call with the log lock held.
    func remove() {
        unlink(file.path)
        file.close()
    }

    /// Drops the lock but leaves the marker, as a crash would: the next writer to open the log
    /// reports this one as not closed.
    func abandon() {
        file.close()
    }

    /// The markers of writers that ended without closing: those no one holds locked. Call with
    /// the log lock held, and ``discard(_:)`` them once they have been reported.
    static func abandoned(directory: String) -> [String] {
        let folder = directory + "/" + directoryName
        guard let names = try? FileManager.default.contentsOfDirectory(atPath: folder) else { return [] }
        var abandoned: [String] = []
        for name in names.sorted() {
            let path = folder + "/" + name
            let fd = open(path, O_RDONLY | O_CLOEXEC)
            guard fd >= 0 else { continue }
            if flock(fd, LOCK_EX | LOCK_NB) == 0 { abandoned.append(path) }
            _ = close(fd)
        }
        return abandoned
    }

    /// Removes markers found by ``abandoned(directory:)``. Call with the log lock held.
    static func discard(_ paths: [String]) {
        for path in paths { unlink(path) }
    }
}
