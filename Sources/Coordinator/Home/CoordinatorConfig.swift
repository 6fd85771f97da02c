import AlliancePKI
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

    public init(member: String, alliance: String, listen: String, caDirectory: String? = nil) {
        self.member = member
        self.alliance = alliance
        self.listen = listen
        self.caDirectory = caDirectory
    }

    enum CodingKeys: String, CodingKey {
        case member, alliance, listen
        case caDirectory = "ca_directory"
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
