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
    /// and IP addresses. The certificate never outlives the CA. `validity` replaces the request's years
    /// (tests issue certificates that are already expired or not yet valid with it).
    public func issueMemberCertificate(
        _ request: MemberCertificateRequest,
        now: Date = Date(),
        validity: DateInterval? = nil
    ) throws(PKIError) -> IssuedMemberCertificate {
        let key = P256.Signing.PrivateKey()
        let certificate = try signMemberCertificate(request, publicKey: Certificate.PublicKey(key.publicKey), now: now, validity: validity)
        return IssuedMemberCertificate(
            memberID: request.memberID,
            role: request.role,
            certificate: certificate,
            privateKey: key,
            serialHex: CertificateSerial.hex(of: certificate.serialNumber),
            fingerprintSHA256: CertificateSerial.fingerprintSHA256(der: try CertificateSerial.derBytes(of: certificate))
        )
    }

    /// A new certificate for a key the member already holds (renewal): the same contents as
    /// ``issueMemberCertificate(_:now:validity:)`` but over `publicKey`, with a new serial and validity.
    public func signMemberCertificate(
        _ request: MemberCertificateRequest,
        publicKey: Certificate.PublicKey,
        now: Date = Date(),
        validity: DateInterval? = nil
    ) throws(PKIError) -> Certificate {
        let notBefore = validity?.start ?? now - Self.backdate
        let notAfter = validity?.end ?? min(ValidityPeriod.adding(years: request.validityYears, to: now), certificate.notValidAfter)
        guard validity != nil || notAfter > now else {
            throw .certificateCreation(reason: "the CA certificate has expired")
        }
        guard notAfter > notBefore else { throw .invalidArgument("the validity ends before it starts") }
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
            return try Certificate(
                version: .v3,
                serialNumber: CertificateSerial.random(),
                publicKey: publicKey,
                notValidBefore: notBefore,
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
    }
}
