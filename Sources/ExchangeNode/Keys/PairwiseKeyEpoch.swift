#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif
import ExchangeCrypto
import Foundation
import GRDB

/// The epoch of the pairwise (ecdh-x25519) key the store's own tokens and peers' index tokens were
/// derived with (`node_state.pairwise_epoch`). Written by a key rotation in the same transaction as
/// the re-derived tokens, so it is the store's own word on which key it is in step with. Unset on a
/// node that never rotated (then the store is in step with whatever `keys/ecdh.key` holds).
package enum PairwiseKeyEpoch {
    static let stateKey = "pairwise_epoch"

    package static func get(_ db: Database) throws -> UInt32? {
        try NodeState.get(db, stateKey).map { UInt32(truncatingIfNeeded: $0) }
    }

    static func set(_ db: Database, _ epoch: UInt32) throws {
        try NodeState.set(db, stateKey, Int64(epoch))
    }

    /// Refuses (inside the caller's transaction) to derive or serve values with `key` when the
    /// store was rotated to another epoch meanwhile: a process that loaded its key before a
    /// `keys rotate` must be restarted, never write or answer with the old key.
    static func ensureInStep(_ db: Database, with key: PairwiseMaskingKey) throws {
        if let stored = try get(db), stored != key.epoch {
            throw NodeError.configuration(
                "the pairwise key was rotated to epoch \(stored) after this process loaded epoch \(key.epoch): restart it")
        }
    }
}

extension NodeHome {
    /// `keys/ecdh.key.next`: the rotated key, written before the rotation's transaction commits and
    /// renamed over `keys/ecdh.key` after it.
    var ecdhNextKeyFile: URL { keysDirectory.appendingPathComponent("ecdh.key.next") }
    /// `keys/ecdh.key.lock`: held (flock) by a rotation, and briefly by whoever resolves a leftover `.next`.
    var ecdhLockFile: URL { keysDirectory.appendingPathComponent("ecdh.key.lock") }
}
