import ExchangeProtocol
import ExchangeRuntime
import GRDB

/// A peer whose masking answer is of another key epoch than (some of) its entries in our store:
/// it rotated its pairwise key and we have not yet synced its re-issued entries. Its lookups cannot
/// find those entries, so "no match" from it means "not known", never "not listed".
public struct StaleOrigin: Sendable, Hashable, Codable, CustomStringConvertible {
    public let member: String
    /// The epoch the peer's masking answer was made with.
    public let answeredEpoch: UInt32
    /// The epochs of that peer's active entries in our store.
    public let storedEpochs: [UInt32]

    enum CodingKeys: String, CodingKey {
        case member
        case answeredEpoch = "answered_epoch"
        case storedEpochs = "stored_epochs"
    }

    public var description: String {
        "\(member) answered with key epoch \(answeredEpoch) but our copy of its entries is of epoch "
            + storedEpochs.map(String.init).joined(separator: ", ") + " (sync with it to screen against its list again)"
    }

    /// The JSON object (`{"member","answered_epoch","stored_epochs"}`).
    public var jsonObject: String {
        "{\"member\":\(JSONText.quote(member)),\"answered_epoch\":\(answeredEpoch),\"stored_epochs\":["
            + storedEpochs.map(String.init).joined(separator: ",") + "]}"
    }
}

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

/// A peer that could not mask our queries (down, refusing, over budget, answering garbage): under
/// the pairwise scheme nothing can be learnt of its list without it, so "no match" from it means
/// "not known". Screening goes on with the other origins and reports it.
public struct UnreachableOrigin: Sendable, Hashable, CustomStringConvertible {
    public let member: String
    /// Why, as our peer client saw it (never an identifier: the request carries only masked values).
    public let reason: String

    public var description: String { "\(member) could not mask our queries (\(reason)); its entries were not screened" }

    /// The JSON object (`{"member","reason"}`).
    public var jsonObject: String { "{\"member\":\(JSONText.quote(member)),\"reason\":\(JSONText.quote(reason))}" }
}
