import ArgumentParser
import ExchangeCrypto
import ExchangeNode
import ExchangeRuntime
import Foundation

/// `exchange-node init`: creates a node home from the folder `certs issue` wrote.
struct InitCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "init",
        abstract: "Create a node home: configuration, store and keys.",
        discussion: """
            --certs names the folder `exchange-node certs issue` wrote for this member
            (DIR/members/ID, holding cert.pem, key.pem and ca.pem) or the CA folder itself
            (then DIR/members/ID is used). The alliance token key (token-key.json) is taken from
            the member folder or the CA folder. Keys are copied with mode 0600.
            """
    )

    @Option(name: .long, help: "The node's home directory (created).")
    var home: String

    @Option(name: .long, help: "This member's id (as in its certificate).")
    var member: String

    @Option(name: .long, help: "HOST:PORT of the peer-facing mTLS listener.")
    var listen: String = "127.0.0.1:7443"

    @Option(name: .long, help: "HOST:PORT of the internal API (screening, metrics). Keep it private.")
    var internalListen: String = "127.0.0.1:7080"

    @Option(name: .long, help: "Folder written by `certs issue` (member folder or CA folder).")
    var certs: String

    @Option(name: .long, help: "Alliance name.")
    var alliance: String = "anti-fraud"

    @Option(name: .long, help: "Token scheme: keyed-hash or ecdh-x25519.")
    var scheme: String = TokenSchemeID.keyedHash.rawValue

    @Option(name: .long, help: "The coordinator's base URL (https://HOST:PORT).")
    var coordinator: String?

    @Flag(name: .long, help: "Do not keep sealed identifiers (entries cannot be re-tokenised after a key rotation).")
    var noSealedIdentifiers = false

    func run() async throws {
        guard let scheme = TokenSchemeID(rawValue: scheme) else {
            throw ValidationError("--scheme must be keyed-hash or ecdh-x25519")
        }
        _ = try HostPort(parsing: listen)
        _ = try HostPort(parsing: internalListen)
        let config = NodeConfig(member: member, alliance: alliance, listen: listen, internalListen: internalListen,
                                scheme: scheme, coordinatorURL: coordinator, keepSealedIdentifiers: !noSealedIdentifiers)
        let home = NodeHome(self.home)
        try NodeSetup.create(home: home, config: config, certificatesFolder: URL(fileURLWithPath: certs))
        print("initialised node '\(member)' in \(home.path)")
        print("  peer listener     \(listen) (mTLS)")
        print("  internal listener \(internalListen) (bearer token in keys/internal-api.token)")
        print("  next: exchange-node peers add --home \(self.home) --member ID --url https://HOST:PORT")
    }
}
