import AlliancePKI
import Crypto
import ExchangeProtocol
import Foundation
import SwiftASN1
import X509

/// Checks that a feed page's certificate was issued by the alliance CA to the page's origin and is
/// not revoked, and returns the key its batches must be signed with.
struct OriginCertificateCheck: Sendable {
    let ca: Certificate
    let revocations: LiveRevocationList

    func signingKey(for page: FeedPage) throws(NodeError) -> P256.Signing.PublicKey {
        let certificate: Certificate
        do {
            certificate = try Certificate(derEncoded: page.originCertificateDER)
        } catch {
            throw .protocolViolation("feed of \(page.origin): certificate is not DER X.509")
        }
        guard certificate.issuer == ca.subject, ca.publicKey.isValidSignature(certificate.signature, for: certificate) else {
            throw .protocolViolation("feed of \(page.origin): certificate not issued by the alliance CA")
        }
        let now = Date()
        guard certificate.notValidBefore <= now, now < certificate.notValidAfter else {
            throw .protocolViolation("feed of \(page.origin): certificate outside its validity period")
        }
        let identity: PeerIdentity
        do {
            identity = try PeerIdentity(certificate: certificate)
        } catch {
            throw .protocolViolation("feed of \(page.origin)", underlying: error)
        }
        guard identity.memberID.rawValue == page.origin else {
            throw .protocolViolation("feed of \(page.origin): signed with the certificate of \(identity.memberID.rawValue)")
        }
        guard !revocations.isRevoked(serialHex: identity.serialHex) else {
            throw .protocolViolation("feed of \(page.origin): certificate is revoked")
        }
        guard let key = P256.Signing.PublicKey(certificate.publicKey) else {
            throw .protocolViolation("feed of \(page.origin): certificate key is not P-256")
        }
        return key
    }
}
