#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ExchangeCrypto
import Foundation
import GRDB

/// An advisory `flock(2)` on `keys/ecdh.key.lock`; the kernel drops it when the process dies.
final class PairwiseKeyLock {
    private let descriptor: Int32

    private init(descriptor: Int32) { self.descriptor = descriptor }

    /// Waits for the lock (a rotation).
    static func acquire(_ home: NodeHome) throws(NodeError) -> PairwiseKeyLock {
        let lock = try openFile(home)
        while flock(lock.descriptor, LOCK_EX) != 0 {
            if errno == EINTR { continue }
            throw .fileUnwritable(home.ecdhLockFile.path, reason: "cannot lock: \(String(cString: strerror(errno)))")
        }
        return lock
    }

    /// The lock if nobody holds it; nil while a rotation runs.
    static func tryAcquire(_ home: NodeHome) throws(NodeError) -> PairwiseKeyLock? {
        let lock = try openFile(home)
        return flock(lock.descriptor, LOCK_EX | LOCK_NB) == 0 ? lock : nil
    }

    private static func openFile(_ home: NodeHome) throws(NodeError) -> PairwiseKeyLock {
        let fd = open(home.ecdhLockFile.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw .fileUnwritable(home.ecdhLockFile.path, reason: String(cString: strerror(errno)))
        }
        return PairwiseKeyLock(descriptor: fd)
    }

    deinit { close(descriptor) }
}
