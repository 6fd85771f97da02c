import ArgumentParser
import ExchangeCoordinator
import ExchangeCrypto
import ExchangeProtocol
import ExchangeRuntime
import Foundation

/// `exchange-node coordinator init`: creates a coordinator home.
struct CoordinatorInitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a coordinator home from a certificate issued with `certs issue --role coordinator`.",
        discussion: """
            --certs names the coordinator's member folder (DIR/members/ID) or the CA folder (then DIR/members/ID
            is used). The token key is taken from --ca-dir, the member folder or the CA folder and kept as
            keys/token-keys/epoch-N.json (0600). With --ca-dir the coordinator works beside the CA: it serves and
            enforces the CA folder's revoked.json as `certs revoke` changes it.
            """
    )

    @Option(name: .long, help: "The coordinator's home directory (created).")
    var home: String

    @Option(name: .long, help: "The coordinator's member id (as in its certificate).")
    var member: String = "coordinator"

    @Option(name: .long, help: "Folder written by `certs issue --role coordinator` (member folder or CA folder).")
    var certs: String

    @Option(name: .long, help: "HOST:PORT of the coordinator's mTLS listener.")
    var listen: String = "127.0.0.1:7400"

    @Option(name: .customLong("internal-listen"),
            help: "HOST:PORT of a plain listener for health, readiness and metrics (no member data); keep it on loopback.")
    var internalListen: String?

    @Option(name: .customLong("ca-dir"), help: "The alliance CA folder, if the coordinator works beside it.")
    var caDir: String?

    @Option(name: .long, help: "Alliance name (dashboard and report titles).")
    var alliance: String = "anti-fraud"

    @Option(name: .long, help: "The alliance's token scheme: keyed-hash (removing a member then rotates the token key) or ecdh-x25519.")
    var scheme: String = "keyed-hash"

    @Option(name: .customLong("expelled-entries"), help: "What happens to a removed member's entries by default: keep or withdraw.")
    var expelledEntries: ExpelledEntries = .keep

    func run() async throws {
        _ = try HostPort(parsing: listen)
        if let internalListen { _ = try HostPort(parsing: internalListen) }
        let caDirectory = caDir.map { URL(fileURLWithPath: $0).standardizedFileURL.path }
        guard let tokenScheme = TokenSchemeID(rawValue: scheme) else { throw ValidationError("--scheme must be keyed-hash or ecdh-x25519") }
        let config = CoordinatorConfig(member: member, alliance: alliance, listen: listen, caDirectory: caDirectory,
                                       scheme: tokenScheme, expelledEntries: expelledEntries, internalListen: internalListen)
        let home = CoordinatorHome(self.home)
        try CoordinatorSetup.create(home: home, config: config, certificatesFolder: URL(fileURLWithPath: certs))
        print("initialised coordinator '\(member)' in \(home.path)")
        print("  listener   \(listen) (mTLS; registered members only)")
        if let internalListen { print("  internal   \(internalListen) (plain HTTP: /v1/health, /v1/ready, /metrics)") }
        if let caDirectory { print("  CA folder  \(caDirectory) (revocation list served live)") }
        print("  next: exchange-node coordinator member add --home \(self.home) --member ID --url https://HOST:PORT")
        print("        exchange-node coordinator member add --home \(self.home) --member OPERATOR --role operator")
    }
}
