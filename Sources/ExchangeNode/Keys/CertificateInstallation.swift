import AlliancePKI
import Crypto
import ExchangeAudit
import ExchangeProtocol
import ExchangeRuntime
import Foundation
import X509

/// `certs install`: replaces a node's certificate with a renewed one for the same key and member,
/// issued by the node's CA and valid now. Peers accept it with no change on their side: they check the
/// chain, the member id, the validity and the revocation list, never a pinned certificate.
package struct CertificateInstallation {
    let home: NodeHome

    package init(home: NodeHome) {
        self.home = home
    }

    /// What was installed.
    package struct Installed: Sendable {
        package let member: String
        package let serialHex: String
        package let previousSerialHex: String
        package let notAfter: String
    }

    package func install(from path: String, now: Date = Date()) throws(NodeError) -> Installed {
        let context = try NodeContext(home: home)
        let pem: String
        do {
            pem = try String(contentsOf: URL(fileURLWithPath: path), encoding: .utf8)
        } catch {
            throw .fileUnreadable(path, reason: "cannot read", underlying: error)
        }
        let certificate: Certificate
        do {
            certificate = try Certificate(pemEncoded: pem)
        } catch {
            throw .certificateRefused(path, "not a PEM certificate")
        }
        guard P256.Signing.PublicKey(certificate.publicKey)?.rawRepresentation == context.keys.signingKey.publicKey.rawRepresentation else {
            throw .certificateRefused(path, "it is not for this node's key (a renewal keeps the key; a new key needs `init` of a new home)")
        }
        let identity: PeerIdentity
        do {
            identity = try PeerIdentity(certificate: certificate)
        } catch {
            throw .certificateRefused(path, "it does not name an alliance member: \(error)")
        }
        guard identity.memberID.rawValue == context.member else {
            throw .certificateRefused(path, "it names member \(identity.memberID), this node is \(context.member)")
        }
        let current = try PeerIdentity.of(context.keys.certificate, path: home.nodeCertificateFile.path)
        guard identity.role == current.role else {
            throw .certificateRefused(path, "its role is \(identity.role), this node's certificate says \(current.role)")
        }
        guard certificate.issuer == context.keys.caCertificate.subject,
              context.keys.caCertificate.publicKey.isValidSignature(certificate.signature, for: certificate) else {
            throw .certificateRefused(path, "it was not issued by this node's CA (keys/ca.pem)")
        }
        guard certificate.notValidBefore <= now, now < certificate.notValidAfter else {
            throw .certificateRefused(path, "it is not valid now (valid \(Self.format(certificate.notValidBefore)) to \(Self.format(certificate.notValidAfter)))")
        }
        try NodeError.files(SecureFile.writeAtomically(Data(pem.utf8), to: home.nodeCertificateFile, mode: 0o644))
        context.audit.append(.certificateChanged(.certificateRenew, member: context.member, serial: identity.serialHex, role: .operator))
        try? context.audit.flush()
        return Installed(member: context.member, serialHex: identity.serialHex, previousSerialHex: current.serialHex,
                         notAfter: Self.format(certificate.notValidAfter))
    }

    static func format(_ date: Date) -> String { ISO8601.format(seconds: Int64(date.timeIntervalSince1970)) }
}

extension PeerIdentity {
    /// The identity in a certificate the node already relies on.
    static func of(_ certificate: Certificate, path: String) throws(NodeError) -> PeerIdentity {
        do {
            return try PeerIdentity(certificate: certificate)
        } catch {
            throw .fileUnreadable(path, reason: "its certificate does not name an alliance member: \(error)")
        }
    }
}
