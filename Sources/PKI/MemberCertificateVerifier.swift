import X509

/// Verifies a member's certificate the one way the alliance does: swift-certificates' `Verifier` with the
/// RFC 5280 policy (signatures, validity dates, basic constraints, name constraints) rooted at the
/// alliance CA only, plus ``AllianceMemberPolicy`` (not a CA, the required usage, a member identity, not
/// revoked). The TLS handshake (``AllianceTLSServer``) checks client chains with it, and a node checks the
/// certificate a feed page carries for its origin with it.
public struct MemberCertificateVerifier: Sendable {
    /// The only root a chain may end in.
    public let trustRoot: Certificate
    /// Consulted on every check, so a reloaded list takes effect at once.
    public let revocations: LiveRevocationList

    public init(trustRoot: Certificate, revocations: LiveRevocationList) {
        self.trustRoot = trustRoot
        self.revocations = revocations
    }

    /// What a check found.
    public enum Outcome: Sendable {
        /// The chain is valid (leaf to CA) and the leaf names this member.
        case valid(chain: [Certificate], identity: PeerIdentity)
        /// Why not, in words (never key material).
        case refused(reason: String)
    }

    /// Verifies `leaf` (with any `intermediates`) for `usage` (clientAuth for a TLS client).
    public func verify(leaf: Certificate, intermediates: [Certificate] = [], usage: ExtendedKeyUsage.Usage) async -> Outcome {
        var verifier = Verifier(rootCertificates: CertificateStore([trustRoot])) {
            RFC5280Policy()
            AllianceMemberPolicy(requiredUsage: usage, revocations: revocations)
        }
        switch await verifier.validate(leaf: leaf, intermediates: CertificateStore(intermediates)) {
        case .validCertificate(let chain):
            guard let identity = try? PeerIdentity(certificate: leaf) else { return .refused(reason: "the certificate carries no member identity") }
            return .valid(chain: Array(chain), identity: identity)
        case .couldNotValidate(let failures):
            let reasons = failures.map(\.policyFailureReason.description)
            return .refused(reason: reasons.isEmpty ? "does not chain to the alliance CA" : reasons.joined(separator: "; "))
        }
    }
}
