import Crypto
import Foundation
import X509

/// Finds the public keys that `audit verify` checks signatures with: the node certificate
/// (`HOME/keys/node.cert.pem`), else the node's private key (`HOME/keys/node.key.pem`), plus any
/// extra files the operator names (earlier certificates or public keys after a key change).
package enum AuditKeyFiles {
    static func certificatePath(home: String) -> String { home + "/keys/node.cert.pem" }
    static func privateKeyPath(home: String) -> String { home + "/keys/node.key.pem" }
    package static func auditDirectory(home: String) -> String { home + "/audit" }

    /// The node's own public key.
    package static func nodePublicKey(home: String) throws(AuditError) -> P256.Signing.PublicKey {
        let certificate = certificatePath(home: home)
        if FileManager.default.fileExists(atPath: certificate) { return try publicKey(fromFile: certificate) }
        let keyPath = privateKeyPath(home: home)
        guard let pem = try? String(contentsOfFile: keyPath, encoding: .utf8) else {
            throw .badKey(path: certificate, reason: "neither the node certificate nor the node key could be read")
        }
        guard let key = try? P256.Signing.PrivateKey(pemRepresentation: pem) else {
            throw .badKey(path: keyPath, reason: "not a PEM P-256 private key")
        }
        return key.publicKey
    }

    /// A public key from a PEM certificate, PEM public key or PEM private key file.
    package static func publicKey(fromFile path: String) throws(AuditError) -> P256.Signing.PublicKey {
        guard let pem = try? String(contentsOfFile: path, encoding: .utf8) else {
            throw .badKey(path: path, reason: "cannot read the file")
        }
        if pem.contains("BEGIN CERTIFICATE") {
            guard let certificate = try? Certificate(pemEncoded: pem) else {
                throw .badKey(path: path, reason: "not a PEM certificate")
            }
            guard let key = P256.Signing.PublicKey(certificate.publicKey) else {
                throw .badKey(path: path, reason: "the certificate's key is not P-256")
            }
            return key
        }
        if let key = try? P256.Signing.PublicKey(pemRepresentation: pem) { return key }
        if let key = try? P256.Signing.PrivateKey(pemRepresentation: pem) { return key.publicKey }
        throw .badKey(path: path, reason: "not a PEM certificate or P-256 key")
    }
}
