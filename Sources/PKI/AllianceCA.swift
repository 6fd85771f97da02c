import Crypto
import Foundation
import SwiftASN1
import X509

/// The alliance certificate authority: a self-signed P-256 CA (`CN=<alliance> Alliance CA`,
/// basicConstraints CA with path length 0, keyUsage keyCertSign + cRLSign, 10 years) that
/// issues every member certificate and signs the revocation list.
public struct AllianceCA: Sendable {
    /// The CA's self-signed certificate (safe to share).
    public let certificate: Certificate
    /// The CA's signing key. Never printed or logged.
    let privateKey: P256.Signing.PrivateKey

    /// How long a new CA certificate is valid.
    public static let validityYears = 10
    /// How far `notValidBefore` is set into the past, to tolerate clock skew between members.
    static let backdate: TimeInterval = 300

    init(certificate: Certificate, privateKey: P256.Signing.PrivateKey) {
        self.certificate = certificate
        self.privateKey = privateKey
    }

    /// Creates a new CA with a fresh key.
    public static func create(allianceName: String, now: Date = Date()) throws(PKIError) -> AllianceCA {
        let name = allianceName.trimmingCharacters(in: .whitespacesAndNewlines)
        guard !name.isEmpty, name.count <= 40, !name.contains(where: \.isNewline) else {
            throw .invalidArgument("alliance name must be 1-40 characters on one line")
        }
        let key = P256.Signing.PrivateKey()
        let publicKey = Certificate.PublicKey(key.publicKey)
        do {
            let subject = try DistinguishedName { CommonName("\(name) Alliance CA") }
            let extensions = try Certificate.Extensions {
                Critical(BasicConstraints.isCertificateAuthority(maxPathLength: 0))
                Critical(KeyUsage(keyCertSign: true, cRLSign: true))
                SubjectKeyIdentifier(hash: publicKey)
            }
            let certificate = try Certificate(
                version: .v3,
                serialNumber: CertificateSerial.random(),
                publicKey: publicKey,
                notValidBefore: now - backdate,
                notValidAfter: ValidityPeriod.adding(years: validityYears, to: now),
                issuer: subject,
                subject: subject,
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: extensions,
                issuerPrivateKey: Certificate.PrivateKey(key)
            )
            return AllianceCA(certificate: certificate, privateKey: key)
        } catch {
            throw .certificateCreation(reason: "CA certificate: \(error)")
        }
    }

    /// Loads a CA from `caCertificatePath` and `caKeyPath` (the key must be mode 0600) and checks
    /// that the key belongs to the certificate.
    public static func load(certificatePath: String, keyPath: String) throws(PKIError) -> AllianceCA {
        let certificate = try PEMFiles.readCertificate(path: certificatePath)
        let key = try KeyFile.readPrivateKey(path: keyPath)
        guard Certificate.PublicKey(key.publicKey) == certificate.publicKey else {
            throw .malformedFile(path: keyPath, reason: "this key does not belong to the CA certificate \(certificatePath)")
        }
        guard case .isCertificateAuthority = try? certificate.extensions.basicConstraints else {
            throw .malformedFile(path: certificatePath, reason: "not a CA certificate (basicConstraints CA missing)")
        }
        return AllianceCA(certificate: certificate, privateKey: key)
    }

    /// The subject, e.g. `CN=Example Alliance CA`.
    public var subjectDescription: String { certificate.subject.description }

    /// Signs `message` with ECDSA P-256 / SHA-256; returns the DER-encoded signature.
    func sign(_ message: some DataProtocol) throws(PKIError) -> Data {
        do {
            return try privateKey.signature(for: message).derRepresentation
        } catch {
            throw .certificateCreation(reason: "signing failed")
        }
    }

    /// The CA's key identifier, copied into each issued certificate's authorityKeyIdentifier.
    var keyIdentifier: ArraySlice<UInt8> {
        if let ski = try? certificate.extensions.subjectKeyIdentifier { return ski.keyIdentifier }
        return SubjectKeyIdentifier(hash: certificate.publicKey).keyIdentifier
    }
}
