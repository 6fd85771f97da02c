import Crypto
import ExchangeProtocol
import Foundation
import SwiftASN1
import X509

/// A member certificate fresh from the CA, with its private key (which only the member gets).
public struct IssuedMemberCertificate: Sendable {
    public let memberID: MemberID
    public let role: MemberRole
    public let certificate: Certificate
    /// The member's key. Never printed or logged.
    let privateKey: P256.Signing.PrivateKey
    /// Canonical lower-case hex serial (see ``CertificateSerial``).
    public let serialHex: String
    /// SHA-256 of the certificate's DER, lower-case hex.
    public let fingerprintSHA256: String
}

extension AllianceCA {
    /// Issues a member certificate: fresh P-256 key, random 16-byte serial, `CN=<member id>`,
    /// EKU serverAuth + clientAuth, keyUsage digitalSignature, SAN URIs
    /// `urn:alliance:member:<ID>` and `urn:alliance:role:<role>` plus the requested DNS names
    /// and IP addresses. The certificate never outlives the CA.
    public func issueMemberCertificate(
        _ request: MemberCertificateRequest,
        now: Date = Date()
    ) throws(PKIError) -> IssuedMemberCertificate {
        let key = P256.Signing.PrivateKey()
        let publicKey = Certificate.PublicKey(key.publicKey)
        let notAfter = min(ValidityPeriod.adding(years: request.validityYears, to: now), certificate.notValidAfter)
        guard notAfter > now else {
            throw .certificateCreation(reason: "the CA certificate has expired")
        }
        let certificate: Certificate
        do {
            let subject = try DistinguishedName { CommonName(request.memberID.rawValue) }
            let extensions = try Certificate.Extensions {
                Critical(BasicConstraints.notCertificateAuthority)
                Critical(KeyUsage(digitalSignature: true))
                try ExtendedKeyUsage([.serverAuth, .clientAuth])
                request.subjectAlternativeNames
                SubjectKeyIdentifier(hash: publicKey)
                AuthorityKeyIdentifier(keyIdentifier: keyIdentifier)
            }
            certificate = try Certificate(
                version: .v3,
                serialNumber: CertificateSerial.random(),
                publicKey: publicKey,
                notValidBefore: now - Self.backdate,
                notValidAfter: notAfter,
                issuer: self.certificate.subject,
                subject: subject,
                signatureAlgorithm: .ecdsaWithSHA256,
                extensions: extensions,
                issuerPrivateKey: Certificate.PrivateKey(privateKey)
            )
        } catch {
            throw .certificateCreation(reason: "member certificate: \(error)")
        }
        return IssuedMemberCertificate(
            memberID: request.memberID,
            role: request.role,
            certificate: certificate,
            privateKey: key,
            serialHex: CertificateSerial.hex(of: certificate.serialNumber),
            fingerprintSHA256: CertificateSerial.fingerprintSHA256(der: try CertificateSerial.derBytes(of: certificate))
        )
    }
}
