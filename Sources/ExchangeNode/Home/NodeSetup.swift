import AlliancePKI
import ExchangeCrypto
import ExchangeRuntime
import Foundation

/// Creating a node home, shared by `init` and the demo.
package enum NodeSetup {
    package static func create(home: NodeHome, config: NodeConfig, certificatesFolder: URL) throws(NodeError) {
        guard !home.exists else { throw .alreadyInitialised(home.path) }
        let fm = FileManager.default
        let issued = IssuedMemberFolder(certificatesFolder, member: config.member)
        func source(_ name: String) throws(NodeError) -> URL {
            guard let file = issued.file(name) else {
                throw .fileUnreadable(issued.expected(name), reason: "missing (run `exchange-node certs issue` first)")
            }
            return file
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
        try NodeError.files(SecureFile.writeAtomically(Data(token.utf8), to: home.internalTokenFile, mode: 0o600))
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

    package static func copy(_ from: URL, to: URL, mode: Int, secret: Bool) throws(NodeError) {
        try NodeError.files(SecureFile.copy(from, to: to, mode: mode, secret: secret))
    }
}
