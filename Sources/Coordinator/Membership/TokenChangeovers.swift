import ExchangeProtocol
import ExchangeRuntime
import Foundation

/// `HOME/changeovers.json`: every keyed-hash token-key changeover the coordinator started — to which
/// epoch, when, until when, and why (docs/membership.md, 1.1). Not secret. The deadline of an epoch
/// older than the current one is the earliest deadline of the changeovers that superseded it; when it
/// has passed the epoch is retired (``TokenKeyRing/retire(epoch:in:)``).
public struct TokenChangeovers: Codable, Sendable, Equatable {
    public struct Changeover: Codable, Sendable, Equatable {
        public let toEpoch: UInt32
        public let started: String
        public var deadline: String
        /// `rotate` or `member-removed`.
        public let reason: String
        /// The member whose removal started it.
        public let member: String?

        enum CodingKeys: String, CodingKey {
            case toEpoch = "to_epoch"
            case started, deadline, reason, member
        }
    }

    public private(set) var changeovers: [Changeover]

    public init(changeovers: [Changeover] = []) { self.changeovers = changeovers }

    public init(from decoder: any Decoder) throws {
        changeovers = try [Changeover](from: decoder)
    }

    public func encode(to encoder: any Encoder) throws {
        try changeovers.encode(to: encoder)
    }

    public static func load(from home: CoordinatorHome) throws(CoordinatorError) -> TokenChangeovers {
        guard FileManager.default.fileExists(atPath: home.changeoversFile.path) else { return TokenChangeovers() }
        return try CoordinatorError.files(JSONFile.read(TokenChangeovers.self, from: home.changeoversFile))
    }

    public func save(to home: CoordinatorHome) throws(CoordinatorError) {
        try CoordinatorError.files(JSONFile.write(self, to: home.changeoversFile))
    }

    public mutating func start(toEpoch: UInt32, started: Int64, deadline: Int64, reason: String, member: String? = nil) {
        changeovers.append(Changeover(toEpoch: toEpoch, started: ISO8601.format(millis: started),
                                      deadline: ISO8601.format(millis: deadline), reason: reason, member: member))
    }

    /// The changeover to the highest epoch, if any.
    public var latest: Changeover? { changeovers.max { $0.toEpoch < $1.toEpoch } }

    /// Moves the latest changeover's deadline; the earlier ones keep theirs unless `deadline` is sooner.
    public mutating func setDeadline(_ deadline: Int64) {
        guard let latest else { return }
        let text = ISO8601.format(millis: deadline)
        for index in changeovers.indices {
            if changeovers[index].toEpoch == latest.toEpoch {
                changeovers[index].deadline = text
            } else if let current = ISO8601.parse(changeovers[index].deadline), deadline < current {
                changeovers[index].deadline = text
            }
        }
    }

    /// When entries under `epoch` stop counting: the earliest deadline of the changeovers to a later
    /// epoch; nil when no changeover superseded it (it is current, or older than this file).
    public func deadline(of epoch: UInt32) -> Int64? {
        changeovers.filter { $0.toEpoch > epoch }.compactMap { ISO8601.parse($0.deadline) }.min()
    }
}
