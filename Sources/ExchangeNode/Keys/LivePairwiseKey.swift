import ExchangeCrypto
import Foundation
import GRDB
import Synchronization

/// The pairwise (ecdh-x25519) key a running process works with, kept in step with the store
/// (docs/membership.md, 4). Every transaction that derives or answers with the key asks for it with
/// ``current(_:)``: when `node_state.pairwise_epoch` moved (a `keys rotate` in any process, or
/// `POST /v1/keys/rotate`), the key of the stored epoch is loaded from `keys/ecdh.key` — or from
/// `keys/ecdh.key.next`, between a rotation's commit and its rename — so a running `serve` follows a
/// rotation without a restart and never answers with a key the store is not in step with.
final class LivePairwiseKey: Sendable {
    let home: NodeHome
    private let key: Mutex<PairwiseMaskingKey?>

    init(home: NodeHome, loaded: PairwiseMaskingKey?) {
        self.home = home
        key = Mutex(loaded)
    }

    /// The key last loaded (outside a transaction: for work that ``current(_:)`` re-checks in one).
    var loaded: PairwiseMaskingKey? { key.withLock { $0 } }

    /// The key the store is in step with, read inside the caller's transaction.
    func current(_ db: Database) throws -> PairwiseMaskingKey {
        let stored = try PairwiseKeyEpoch.get(db)
        if let loaded, stored == nil || stored == loaded.epoch { return loaded }
        guard let stored else { throw NodeError.configuration("the alliance uses ecdh-x25519 but \(home.ecdhKeyFile.path) is missing") }
        for file in [home.ecdhKeyFile, home.ecdhNextKeyFile] {
            if let candidate = try? PairwiseKeyFile.loadIfPresent(file), candidate.epoch == stored {
                key.withLock { $0 = candidate }
                return candidate
            }
        }
        throw NodeError.configuration("""
            the store's pairwise key epoch is \(stored) but neither \(home.ecdhKeyFile.lastPathComponent) nor \
            \(home.ecdhNextKeyFile.lastPathComponent) holds it: the key file and the store are out of step
            """)
    }
}
