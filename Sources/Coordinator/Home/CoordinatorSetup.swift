import AlliancePKI
import ExchangeAudit
import ExchangeRuntime
import Foundation

/// Creating a coordinator home from the folder `certs issue --role coordinator` wrote.
package enum CoordinatorSetup {
    /// - Parameters:
    ///   - certificatesFolder: the coordinator's member folder (`DIR/members/ID`) or the CA folder.
    ///   - caDirectory: the CA folder, when the coordinator works beside it (token key and live revocation list).
    package static func create(home: CoordinatorHome, config: CoordinatorConfig, certificatesFolder: URL) throws(CoordinatorError) {
        guard !home.exists else { throw .alreadyInitialised(home.path) }
        let fm = FileManager.default
        let issued = IssuedMemberFolder(certificatesFolder, member: config.member,
                                        caDirectory: config.caDirectory.map { URL(fileURLWithPath: $0) })
        func source(_ name: String, memberOnly: Bool = false) throws(CoordinatorError) -> URL {
            guard let file = issued.file(name, memberOnly: memberOnly) ?? (name == "ca.pem" ? issued.file(name) : nil) else {
                throw .fileUnreadable(issued.expected(name), reason: "missing (run `exchange-node certs issue --role coordinator` first)")
            }
            return file
        }
        let certificate = try source("cert.pem", memberOnly: true)
        let key = try source("key.pem", memberOnly: true)
        let ca = try source("ca.pem", memberOnly: true)
        let tokenKey = try source("token-key.json")
        let credentials: MemberCredentials
        do {
            credentials = try MemberCredentials.load(certificatePath: certificate.path, keyPath: key.path, caPath: ca.path)
        } catch {
            throw .configuration("the coordinator's certificate folder", underlying: error)
        }
        guard credentials.identity.memberID.rawValue == config.member else {
            throw .configuration("the certificate is for member '\(credentials.identity.memberID.rawValue)', not '\(config.member)'")
        }
        guard credentials.identity.role == .coordinator else {
            throw .configuration("the certificate's role is \(credentials.identity.role.rawValue); issue one with `certs issue --role coordinator`")
        }
        do {
            for folder in [home.root, home.keysDirectory, home.auditDirectory, home.logsDirectory, home.reportsDirectory] {
                try fm.createDirectory(at: folder, withIntermediateDirectories: true)
            }
            chmod(home.keysDirectory.path, 0o700)
        } catch {
            throw .fileUnwritable(home.path, reason: "cannot create directories")
        }
        try CoordinatorError.files(SecureFile.copy(key, to: home.keyFile, mode: 0o600, secret: true))
        try CoordinatorError.files(SecureFile.copy(certificate, to: home.certificateFile, mode: 0o644, secret: false))
        try CoordinatorError.files(SecureFile.copy(ca, to: home.caCertificateFile, mode: 0o644, secret: false))
        if let revoked = try? source("revoked.json") {
            try CoordinatorError.files(SecureFile.copy(revoked, to: home.revocationListFile, mode: 0o644, secret: false))
        }
        try TokenKeyRing.store(try TokenKeyRing.read(tokenKey), in: home)
        try config.save(to: home)
        if !fm.fileExists(atPath: home.membersFile.path) { try MembershipRegistry().save(to: home) }
        // Open once: checks the files, creates the report store and the audit log.
        let context = try CoordinatorContext(home: home, echoLog: false)
        context.audit.append(AuditEvent(actor: AuditEvent.localActor, role: .operator, action: "coordinator.init", outcome: .ok))
        try? context.audit.flush()
    }
}
