import AlliancePKI
import Crypto
import ExchangeProtocol
import Foundation
import X509

/// Checks a feed page's certificate with the PKI's ``AlliancePKI/MemberCertificateVerifier`` (the same
/// verifier and member policy the TLS handshake uses: issued by the alliance CA, valid now, not a CA, a
/// member identity, not revoked), then that it names the page's origin, and returns the key the page's
/// batches must be signed with.
struct OriginCertificateCheck: Sendable {
    let verifier: MemberCertificateVerifier

    init(ca: Certificate, revocations: LiveRevocationList) {
        verifier = MemberCertificateVerifier(trustRoot: ca, revocations: revocations)
    }

    func signingKey(for page: FeedPage) async throws(NodeError) -> P256.Signing.PublicKey {
        let certificate: Certificate
        do {
            certificate = try Certificate(derEncoded: page.originCertificateDER)
        } catch {
            throw .protocolViolation("feed of \(page.origin): certificate is not DER X.509")
        }
        // A node's certificate serves its feed: serverAuth (member certificates carry serverAuth and clientAuth).
        switch await verifier.verify(leaf: certificate, usage: .serverAuth) {
        case .refused(let reason):
            throw .protocolViolation("feed of \(page.origin): certificate refused: \(reason)")
        case .valid(_, let identity):
            guard identity.memberID.rawValue == page.origin else {
                throw .protocolViolation("feed of \(page.origin): signed with the certificate of \(identity.memberID.rawValue)")
            }
        }
        guard let key = P256.Signing.PublicKey(certificate.publicKey) else {
            throw .protocolViolation("feed of \(page.origin): certificate key is not P-256")
        }
        return key
    }
}
