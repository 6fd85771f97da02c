import ExchangeProtocol
import NIOCore
import NIOSSL
import SwiftASN1
import X509

/// Who is on the other end of a verified mTLS connection, read from its alliance certificate:
/// the member id (SAN URI `urn:alliance:member:<ID>`), its role (`urn:alliance:role:<role>`),
/// the certificate serial and its SHA-256 fingerprint.
///
/// Only build this from a certificate the TLS layer has already verified against the alliance
/// CA; parsing alone proves nothing.
public struct PeerIdentity: Sendable, Hashable, CustomStringConvertible {
    public let memberID: MemberID
    public let role: MemberRole
    /// Canonical lower-case hex serial (see ``CertificateSerial``).
    public let serialHex: String
    /// SHA-256 of the certificate's DER, lower-case hex.
    public let fingerprintSHA256: String

    /// Reads the identity from a certificate's DER encoding.
    public init(derEncoded der: [UInt8]) throws(PeerIdentityError) {
        let certificate: Certificate
        do {
            certificate = try Certificate(derEncoded: der)
        } catch {
            throw .undecodableCertificate
        }
        try self.init(certificate: certificate, der: der)
    }

    /// Reads the identity from a NIOSSL certificate (for example `nioSSL_peerCertificate()`).
    public init(certificate: NIOSSLCertificate) throws(PeerIdentityError) {
        let der: [UInt8]
        do {
            der = try certificate.toDERBytes()
        } catch {
            throw .undecodableCertificate
        }
        try self.init(derEncoded: der)
    }

    /// Reads the identity from a swift-certificates certificate.
    public init(certificate: Certificate) throws(PeerIdentityError) {
        let der: [UInt8]
        do {
            der = try CertificateSerial.derBytes(of: certificate)
        } catch {
            throw .undecodableCertificate
        }
        try self.init(certificate: certificate, der: der)
    }

    private init(certificate: Certificate, der: [UInt8]) throws(PeerIdentityError) {
        let names: SubjectAlternativeNames
        do {
            guard let san = try certificate.extensions.subjectAlternativeNames else {
                throw PeerIdentityError.missingMemberURI
            }
            names = san
        } catch {
            throw .missingMemberURI
        }
        var memberURIs = [String]()
        var roleURIs = [String]()
        for name in names {
            guard case .uniformResourceIdentifier(let uri) = name else { continue }
            if uri.hasPrefix(AllianceURI.memberPrefix) {
                memberURIs.append(String(uri.dropFirst(AllianceURI.memberPrefix.count)))
            } else if uri.hasPrefix(AllianceURI.rolePrefix) {
                roleURIs.append(String(uri.dropFirst(AllianceURI.rolePrefix.count)))
            }
        }
        guard let memberText = memberURIs.first else { throw .missingMemberURI }
        guard memberURIs.count == 1 else { throw .multipleMemberURIs }
        do {
            memberID = try MemberID(memberText)
        } catch {
            throw .malformedMemberURI(reason: error.description)
        }
        guard let roleText = roleURIs.first else { throw .missingRoleURI }
        guard roleURIs.count == 1 else { throw .multipleRoleURIs }
        guard let parsedRole = MemberRole(rawValue: roleText) else { throw .unknownRole }
        role = parsedRole
        serialHex = CertificateSerial.hex(of: certificate.serialNumber)
        fingerprintSHA256 = CertificateSerial.fingerprintSHA256(der: der)
    }

    /// The identity of the peer of a connection whose TLS handshake has completed, read from
    /// the verified peer certificate held by the pipeline's NIOSSL handler. Call on the
    /// channel's event loop, e.g. when `TLSUserEvent.handshakeCompleted` arrives.
    public static func ofVerifiedPeer(
        in pipeline: ChannelPipeline.SynchronousOperations
    ) throws(PeerIdentityError) -> PeerIdentity {
        let certificate: NIOSSLCertificate?
        do {
            certificate = try pipeline.nioSSL_peerCertificate()
        } catch {
            throw .noTLSHandler
        }
        guard let certificate else { throw .noPeerCertificate }
        return try PeerIdentity(certificate: certificate)
    }

    /// `member <id> (<role>) serial <hex>`.
    public var description: String { "member \(memberID) (\(role)) serial \(serialHex)" }
}
