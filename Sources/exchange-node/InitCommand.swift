import ArgumentParser
import ExchangeCrypto
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

/// Creating a node home, shared by `init` and the demo.
enum NodeSetup {
    static func create(home: NodeHome, config: NodeConfig, certificatesFolder: URL) throws(NodeError) {
        guard !home.exists else { throw .alreadyInitialised(home.path) }
        let fm = FileManager.default
        var memberFolder = certificatesFolder
        if !fm.fileExists(atPath: memberFolder.appendingPathComponent("cert.pem").path) {
            memberFolder = certificatesFolder.appendingPathComponent("members/\(config.member)")
        }
        let caFolder = memberFolder.deletingLastPathComponent().deletingLastPathComponent()
        func source(_ name: String) throws(NodeError) -> URL {
            for folder in [memberFolder, certificatesFolder, caFolder] {
                let candidate = folder.appendingPathComponent(name)
                if fm.fileExists(atPath: candidate.path) { return candidate }
            }
            throw .fileUnreadable(memberFolder.appendingPathComponent(name).path, reason: "missing (run `exchange-node certs issue` first)")
        }
        let certificate = try source("cert.pem")
        let key = try source("key.pem")
        let ca = try source("ca.pem")
        let tokenKey = try source("token-key.json")
        do {
            for folder in [home.root, home.keysDirectory, home.peersDirectory, home.auditDirectory, home.outboxDirectory] {
                try fm.createDirectory(at: folder, withIntermediateDirectories: true)
            }
            chmod(home.keysDirectory.path, 0o700)
        } catch {
            throw .fileUnwritable(home.path, reason: "cannot create directories")
        }
        try copy(key, to: home.nodeKeyFile, mode: 0o600, secret: true)
        try copy(tokenKey, to: home.tokenKeyFile, mode: 0o600, secret: true)
        try copy(certificate, to: home.nodeCertificateFile, mode: 0o644, secret: false)
        try copy(ca, to: home.caCertificateFile, mode: 0o644, secret: false)
        if let revoked = try? source("revoked.json") {
            try copy(revoked, to: home.revocationListFile, mode: 0o644, secret: false)
        }
        let token = SymmetricKeyText.random()
        try SecureFile.writeAtomically(Data(token.utf8), to: home.internalTokenFile, mode: 0o600)
        if config.scheme == .ecdhX25519 {
            try PairwiseKeyFile.write(PairwiseMaskingKey.generate(epoch: 1), to: home.ecdhKeyFile)
        }
        try config.save(to: home)
        // Load everything once: this checks the files and creates the seal key and the store.
        let keys = try NodeKeys.load(from: home)
        let identity = try? PeerIdentity(certificate: keys.certificate)
        if let identity, identity.memberID.rawValue != config.member {
            throw .configuration("the certificate is for member '\(identity.memberID.rawValue)', not '\(config.member)'")
        }
        _ = try NodeStore(home: home)
    }

    static func copy(_ from: URL, to: URL, mode: Int, secret: Bool) throws(NodeError) {
        let data: Data
        if secret {
            data = try SecureFile.readSecret(from)
        } else {
            do { data = try Data(contentsOf: from) } catch { throw .fileUnreadable(from.path, reason: "cannot read") }
        }
        try SecureFile.writeAtomically(data, to: to, mode: mode)
    }
}

/// Random bearer tokens for local APIs.
enum SymmetricKeyText {
    static func random() -> String {
        var generator = SystemRandomNumberGenerator()
        return (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
    }
}
