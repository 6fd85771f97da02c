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

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        member = try c.decode(String.self, forKey: .member)
        answeredEpoch = try c.decode(UInt32.self, forKey: .answeredEpoch)
        storedEpochs = try c.decode([UInt32].self, forKey: .storedEpochs)
    }

    package init(member: String, answeredEpoch: UInt32, storedEpochs: [UInt32]) {
        self.member = member
        self.answeredEpoch = answeredEpoch
        self.storedEpochs = storedEpochs
    }

    /// `{"member","answered_epoch","stored_epochs"}`, in that order.
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(member, forKey: .member)
        try c.encode(answeredEpoch, forKey: .answeredEpoch)
        try c.encode(storedEpochs, forKey: .storedEpochs)
    }
}
