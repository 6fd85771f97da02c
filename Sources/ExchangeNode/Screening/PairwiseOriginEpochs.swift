import ExchangeProtocol
import ExchangeRuntime
import GRDB

/// The key epochs of each peer's active pairwise entries in our store, read when the screening
/// engine is built (it is rebuilt whenever the entries change).
struct PairwiseOriginEpochs: Sendable {
    let epochs: [String: Set<UInt32>]

    static func load(from store: NodeStore, excluding member: String) throws(NodeError) -> PairwiseOriginEpochs {
        try store.read { db in
            var epochs: [String: Set<UInt32>] = [:]
            let rows = try GRDB.Row.fetchCursor(db, sql: """
                SELECT DISTINCT origin, epoch FROM entries WHERE scheme = ? AND status = ? AND origin != ?
                """, arguments: [Int64(TokenSchemeID.ecdhX25519.code), Int64(EntryStatus.active.code), member])
            while let row = try rows.next() {
                epochs[row[0] as String, default: []].insert(UInt32(truncatingIfNeeded: row[1] as Int64))
            }
            return PairwiseOriginEpochs(epochs: epochs)
        }
    }

    /// Whether `origin`'s answer under `epoch` leaves some of its entries in our store unreachable.
    func staleness(of origin: String, answeredEpoch epoch: UInt32) -> StaleOrigin? {
        guard let stored = epochs[origin], stored != [epoch] else { return nil }
        return StaleOrigin(member: origin, answeredEpoch: epoch, storedEpochs: stored.sorted())
    }
}
