import ExchangeCrypto
import ExchangeProtocol
import GRDB

/// Which keyed-hash epochs screening covers, read when the screening engine is built (it is rebuilt
/// whenever entries or epochs change): the tokenizers of every held epoch that active stored entries
/// use, and the origins it cannot screen with certainty (docs/membership.md, 1.4 and 1.5) — those
/// with active entries under an epoch retired after its deadline (kept without tokens) or under an
/// epoch whose key this node lacks.
struct KeyedEpochCoverage: Sendable {
    /// One per epoch to tokenise under, the own epoch first.
    let tokenizers: [KeyedHashTokenizer]
    let staleOrigins: [StaleOrigin]

    /// The coverage of the entries `index` holds (its ``TokenIndex/originEpochs``), with the keys held now.
    static func make(for index: TokenIndex, home: NodeHome, member: String) throws(NodeError) -> KeyedEpochCoverage {
        let held = try TokenKeyFiles.loadHeld(home)
        let own = try NodeKeys.loadTokenKey(home.tokenKeyFile)
        let rows = index.originEpochs
        var epochs: Set<UInt32> = [own.epoch]
        var stale: [String: Set<UInt32>] = [:]
        for row in rows {
            if !row.stripped, held[row.epoch] != nil {
                epochs.insert(row.epoch)
            } else if row.origin != member {
                stale[row.origin, default: []].insert(row.epoch)
            }
        }
        let others = epochs.subtracting([own.epoch]).sorted().compactMap { held[$0] }
        return KeyedEpochCoverage(
            tokenizers: ([own] + others).map { KeyedHashTokenizer(key: $0) },
            staleOrigins: stale.keys.sorted().map { StaleOrigin(member: $0, answeredEpoch: own.epoch, storedEpochs: stale[$0]!.sorted(), keyedHash: true) })
    }
}
