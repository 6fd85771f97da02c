#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import Foundation

/// An advisory `flock(2)` on a file of the home (`keys/ecdh.key.lock`, `keys/token-key.lock`); the
/// kernel drops it when the process dies, so a kill never leaves a home locked.
final class FileLock {
    private let descriptor: Int32

    private init(descriptor: Int32) { self.descriptor = descriptor }

    /// Waits for the lock.
    static func acquire(_ url: URL) throws(NodeError) -> FileLock {
        let lock = try openFile(url)
        while flock(lock.descriptor, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            throw .fileUnwritable(url.path, reason: "cannot lock: \(String(cString: strerror(errno)))")
        }
        return lock
    }

    /// The lock if nobody holds it; nil while another process (or task) holds it.
    static func tryAcquire(_ url: URL) throws(NodeError) -> FileLock? {
        let lock = try openFile(url)
        return flock(lock.descriptor, LOCK_EX | LOCK_NB) == 0 ? lock : nil
    }

    private static func openFile(_ url: URL) throws(NodeError) -> FileLock {
        let fd = open(url.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw .fileUnwritable(url.path, reason: String(cString: strerror(errno))) }
        return FileLock(descriptor: fd)
    }

    deinit { close(descriptor) }
}
