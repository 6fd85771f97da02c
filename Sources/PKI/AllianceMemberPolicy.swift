import SwiftASN1
import X509

/// The alliance's rules for a peer's leaf certificate, checked on top of RFC 5280 path
/// validation: it is not a CA, it may be used for the required purpose (clientAuth when the
/// peer is a client), it carries a well-formed member identity, and its serial is not revoked.
struct AllianceMemberPolicy: VerifierPolicy {
    let verifyingCriticalExtensions: [ASN1ObjectIdentifier] = []
    let requiredUsage: ExtendedKeyUsage.Usage
    let revocations: LiveRevocationList

    func chainMeetsPolicyRequirements(chain: UnverifiedCertificateChain) async -> PolicyEvaluationResult {
        let leaf = chain.leaf
        guard chain.count >= 2 else {
            return .failsToMeetPolicy(reason: "the peer presented the CA certificate itself")
        }
        if case .isCertificateAuthority = try? leaf.extensions.basicConstraints {
            return .failsToMeetPolicy(reason: "the peer certificate is a CA certificate")
        }
        if let keyUsage = try? leaf.extensions.keyUsage, !keyUsage.digitalSignature {
            return .failsToMeetPolicy(reason: "the peer certificate's keyUsage lacks digitalSignature")
        }
        guard let usages = try? leaf.extensions.extendedKeyUsage, usages.contains(requiredUsage) else {
            return .failsToMeetPolicy(reason: "the peer certificate's extendedKeyUsage lacks \(requiredUsage)")
        }
        let identity: PeerIdentity
        do {
            identity = try PeerIdentity(certificate: leaf)
        } catch {
            return .failsToMeetPolicy(reason: error.description)
        }
        if revocations.isRevoked(serialHex: identity.serialHex) {
            return .failsToMeetPolicy(reason: "the certificate of \(identity) is revoked")
        }
        return .meetsPolicy
    }
}
