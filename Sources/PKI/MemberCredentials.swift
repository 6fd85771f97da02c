import NIOSSL
import X509

/// Everything a member needs for alliance mTLS, loaded from disk and checked: its certificate,
/// its private key (mode 0600 enforced) and the alliance CA certificate.
public struct MemberCredentials: Sendable {
    /// The member's own identity, read from its certificate.
    public let identity: PeerIdentity
    public let certificate: NIOSSLCertificate
    /// Never printed or logged.
    public let privateKey: NIOSSLPrivateKey
    public let ca: NIOSSLCertificate
    /// The same certificates as swift-certificates values.
    public let memberCertificate: Certificate
    public let caCertificate: Certificate

    /// Loads `cert.pem`, `key.pem` and `ca.pem` from a member folder as `certs issue` writes it
    /// (`DIR/members/<ID>/`).
    public static func load(memberDirectory: String) throws(PKIError) -> MemberCredentials {
        try load(
            certificatePath: memberDirectory + "/cert.pem",
            keyPath: memberDirectory + "/key.pem",
            caPath: memberDirectory + "/ca.pem"
        )
    }

    /// Loads the three files and checks that the key belongs to the certificate, that the CA
    /// signed the certificate, and that the certificate carries a member identity.
    public static func load(certificatePath: String, keyPath: String, caPath: String) throws(PKIError) -> MemberCredentials {
        let memberCertificate = try PEMFiles.readCertificate(path: certificatePath)
        let caCertificate = try PEMFiles.readCertificate(path: caPath)
        let key = try KeyFile.readPrivateKey(path: keyPath)
        guard Certificate.PublicKey(key.publicKey) == memberCertificate.publicKey else {
            throw .malformedFile(path: keyPath, reason: "this key does not belong to \(certificatePath)")
        }
        guard memberCertificate.issuer == caCertificate.subject,
            caCertificate.publicKey.isValidSignature(memberCertificate.signature, for: memberCertificate)
        else {
            throw .malformedFile(path: certificatePath, reason: "not issued by the CA in \(caPath)")
        }
        let identity: PeerIdentity
        do {
            identity = try PeerIdentity(certificate: memberCertificate)
        } catch {
            throw .malformedFile(path: certificatePath, reason: error.description)
        }
        let nioKey: NIOSSLPrivateKey
        do {
            nioKey = try NIOSSLPrivateKey(bytes: Array(key.derRepresentation), format: .der)
        } catch {
            throw .malformedFile(path: keyPath, reason: "key not accepted by BoringSSL")
        }
        return MemberCredentials(
            identity: identity,
            certificate: try PEMFiles.nioCertificate(memberCertificate),
            privateKey: nioKey,
            ca: try PEMFiles.nioCertificate(caCertificate),
            memberCertificate: memberCertificate,
            caCertificate: caCertificate
        )
    }

    /// ``MTLSConfiguration/server(certificate:key:ca:)`` for these credentials.
    public func serverTLSConfiguration() -> TLSConfiguration {
        MTLSConfiguration.server(certificate: certificate, key: privateKey, ca: ca)
    }

    /// ``MTLSConfiguration/client(certificate:key:ca:)`` for these credentials.
    public func clientTLSConfiguration() -> TLSConfiguration {
        MTLSConfiguration.client(certificate: certificate, key: privateKey, ca: ca)
    }
}
