import ExchangeCrypto
import ExchangeRuntime
import Foundation

/// `HOME/node.json`: who this node is and how it runs.
public struct NodeConfig: Codable, Sendable, Equatable {
    public var member: String
    public var alliance: String
    /// `HOST:PORT` of the peer-facing mTLS listener.
    public var listen: String
    /// `HOST:PORT` of the internal API (screening for the member's own systems, /metrics); keep it on a private interface.
    public var internalListen: String
    /// Which token scheme the alliance uses.
    public var scheme: TokenSchemeID
    /// Seconds between sync rounds in `serve`.
    public var syncIntervalSeconds: Double
    /// The coordinator's base URL, if the alliance has one.
    public var coordinatorURL: String?
    /// Keep identifiers sealed with the node-local key so entries can be re-tokenised after a key rotation.
    public var keepSealedIdentifiers: Bool
    /// Working days an appeal may stay open before it is flagged overdue.
    public var appealDeadlineWorkingDays: Int
    /// `GET /v1/ready` answers 503 when a peer's last successful sync is older than this (seconds);
    /// absent: ``defaultReadyMaxSyncAge(syncInterval:)``.
    public var readyMaxSyncAgeSeconds: Double?

    public init(
        member: String, alliance: String = "anti-fraud", listen: String, internalListen: String,
        scheme: TokenSchemeID = .keyedHash, syncIntervalSeconds: Double = 30, coordinatorURL: String? = nil,
        keepSealedIdentifiers: Bool = true, appealDeadlineWorkingDays: Int = 15
    ) {
        self.member = member
        self.alliance = alliance
        self.listen = listen
        self.internalListen = internalListen
        self.scheme = scheme
        self.syncIntervalSeconds = syncIntervalSeconds
        self.coordinatorURL = coordinatorURL
        self.keepSealedIdentifiers = keepSealedIdentifiers
        self.appealDeadlineWorkingDays = appealDeadlineWorkingDays
    }

    /// The larger of 120 s and four sync intervals: a peer that answers every round is never reported,
    /// one that missed about three rounds in a row is.
    public static func defaultReadyMaxSyncAge(syncInterval: Double) -> Double { max(120, 4 * syncInterval) }

    /// The readiness limit in force (seconds).
    public var readyMaxSyncAge: Double {
        readyMaxSyncAgeSeconds ?? Self.defaultReadyMaxSyncAge(syncInterval: syncIntervalSeconds)
    }

    public static func load(from home: NodeHome) throws(NodeError) -> NodeConfig {
        try NodeError.files(JSONFile.read(NodeConfig.self, from: home.configFile))
    }

    public func save(to home: NodeHome) throws(NodeError) {
        try NodeError.files(JSONFile.write(self, to: home.configFile))
    }
}
