import AlliancePKI
import ExchangeCrypto
import ExchangeProtocol
import ExchangeRuntime
import Foundation

/// `HOME/coordinator.json`: who the coordinator is and where it listens.
public struct CoordinatorConfig: Codable, Sendable, Equatable {
    /// The coordinator's member id, as in its certificate (role coordinator).
    public var member: String
    /// The alliance's name, shown on the dashboard and the monthly report.
    public var alliance: String
    /// `HOST:PORT` of the mTLS listener (nodes and operators).
    public var listen: String
    /// The alliance CA folder (`certs init --dir`), when the coordinator works beside it: its
    /// `revoked.json` is then the list served and enforced, re-read as the CA operator changes it.
    public var caDirectory: String?
    /// The alliance's token scheme: under `keyed-hash`, removing a member starts a token-key changeover.
    public var scheme: TokenSchemeID
    /// The alliance's default policy for a removed member's entries (`keep` or `withdraw`).
    public var expelledEntries: ExpelledEntries
    /// `HOST:PORT` of a plain listener for orchestrators and monitoring (`/v1/health`, `/v1/ready`,
    /// `/metrics`; no member data, no credential): keep it on loopback. Absent: no such listener.
    public var internalListen: String?

    public init(member: String, alliance: String, listen: String, caDirectory: String? = nil, scheme: TokenSchemeID = .keyedHash,
                expelledEntries: ExpelledEntries = .keep, internalListen: String? = nil) {
        self.member = member
        self.alliance = alliance
        self.listen = listen
        self.caDirectory = caDirectory
        self.scheme = scheme
        self.expelledEntries = expelledEntries
        self.internalListen = internalListen
    }

    enum CodingKeys: String, CodingKey {
        case member, alliance, listen, scheme
        case caDirectory = "ca_directory"
        case expelledEntries = "expelled_entries"
        case internalListen = "internal_listen"
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        member = try c.decode(String.self, forKey: .member)
        alliance = try c.decode(String.self, forKey: .alliance)
        listen = try c.decode(String.self, forKey: .listen)
        caDirectory = try c.decodeIfPresent(String.self, forKey: .caDirectory)
        scheme = try c.decodeIfPresent(TokenSchemeID.self, forKey: .scheme) ?? .keyedHash
        expelledEntries = try c.decodeIfPresent(ExpelledEntries.self, forKey: .expelledEntries) ?? .keep
        internalListen = try c.decodeIfPresent(String.self, forKey: .internalListen)
    }

    public static func load(from home: CoordinatorHome) throws(CoordinatorError) -> CoordinatorConfig {
        try CoordinatorError.files(JSONFile.read(CoordinatorConfig.self, from: home.configFile))
    }

    public func save(to home: CoordinatorHome) throws(CoordinatorError) {
        try CoordinatorError.files(JSONFile.write(self, to: home.configFile))
    }

    /// Where the revocation list lives: the CA folder's when configured, else the home's copy.
    func revocationListPath(in home: CoordinatorHome) -> String {
        if let caDirectory { return AllianceDirectory(caDirectory).revocationListPath }
        return home.revocationListFile.path
    }
}
