#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `DIRECTORY/lock`: the advisory `flock(2)` lock every writer of the audit log holds while it
/// brings its view of the chain up to date, appends, checkpoints or writes the head — so any
/// number of processes (and `AuditLog` instances, each with its own descriptor) can share one log.
///
/// `flock` locks belong to an open file description, so two `AuditLog` instances in one process
/// exclude each other exactly as two processes do, and the kernel drops the lock of a process that
/// dies. A separate file (not `audit.log` itself) keeps the lock valid when the log is replaced.
/// Readers (`verify`, `show`) take it shared for an instant, to see the log between two writes.
struct AuditFileLock: Sendable {
    static let fileName = "lock"

    let file: AuditFile

    /// Opens (creating with mode 0600) the lock file of `directory`, for a writer.
    static func openForWriting(directory: String) throws(AuditError) -> AuditFileLock {
        let path = directory + "/" + fileName
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: AuditFile.lastError()) }
        return AuditFileLock(file: AuditFile(descriptor: fd, path: path))
    }

    /// Opens the lock file read-only for a reader; nil when there is none (a log written before
    /// locking existed, or a directory the reader may not write).
    static func openForReading(directory: String) -> AuditFileLock? {
        guard let file = try? AuditFile.openForReading(directory + "/" + fileName) else { return nil }
        return AuditFileLock(file: file)
    }

    /// Waits for the exclusive lock.
    func lockExclusive() throws(AuditError) {
        while flock(file.descriptor, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            throw .cannotWrite(path: file.path, reason: "cannot lock: " + AuditFile.lastError())
        }
    }

    /// Tries for the shared lock until `seconds` have passed; false if a writer held it all along
    /// (a stopped process, say). Readers must not hang on a writer.
    func lockShared(waitingAtMost seconds: Double) -> Bool {
        var pause: UInt32 = 100  // microseconds
        var waited = 0.0
        while true {
            if flock(file.descriptor, LOCK_SH | LOCK_NB) == 0 { return true }
            if errno != EWOULDBLOCK, errno != EINTR { return false }
            if waited >= seconds { return false }
            usleep(pause)
            waited += Double(pause) / 1_000_000
            pause = min(pause * 2, 50_000)
        }
    }

    func unlock() {
        _ = flock(file.descriptor, LOCK_UN)
    }

    func close() {
        file.close()
    }
}
