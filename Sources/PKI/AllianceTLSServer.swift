import Logging
import NIOCore
import NIOSSL
import X509

/// Makes the TLS handlers for each accepted connection of an alliance mTLS server.
///
/// Two handlers, added by ``addServerHandlers(to:)``:
/// 1. a `NIOSSLServerHandler` with NIOSSL's custom verification callback, which replaces
///    BoringSSL's own chain check. The callback runs ``MemberCertificateVerifier`` (swift-certificates'
///    `Verifier` with the RFC 5280 policy rooted at the alliance CA only, plus ``AllianceMemberPolicy``:
///    clientAuth usage, member identity, revocation). A revoked or foreign certificate therefore fails the handshake itself: the
///    client gets a TLS alert (`certificate unknown`) and no request is ever read. A client
///    without a certificate is refused by BoringSSL before the callback runs.
/// 2. an ``AllianceConnectionGuard``, which re-checks identity, validity and revocation before
///    any application data is passed on. It is needed because a *resumed* TLS session skips the
///    verification callback (measured: a member revoked after its first TLS 1.2 connection got
///    its data echoed on a resumed session without it).
///
/// After the first read, the guard's ``AllianceConnectionGuard/peerIdentity`` says who the
/// client is; `PeerIdentity.ofVerifiedPeer(in:)` reads the same from the NIOSSL handler.
///
/// ```swift
/// let tls = try AllianceTLSServer(credentials: credentials, revocations: revocations)
/// ServerBootstrap(group: group).childChannelInitializer { channel in
///     channel.eventLoop.makeCompletedFuture {
///         try tls.addServerHandlers(to: channel.pipeline.syncOperations)
///         // ... HTTP handlers
///     }
/// }
/// ```
public struct AllianceTLSServer: Sendable {
    /// Built once and shared by every connection.
    public let sslContext: NIOSSLContext
    /// The only root a client chain may end in.
    public let trustRoot: Certificate
    /// Consulted on every handshake, so reloading it takes effect for new connections at once.
    public let revocations: LiveRevocationList
    private let logger: Logger?

    /// - Parameters:
    ///   - configuration: normally ``MTLSConfiguration/server(certificate:key:ca:)``.
    ///   - trustRoot: the alliance CA certificate.
    ///   - logger: refused handshakes are logged at `notice` with the reason (never key material).
    public init(
        configuration: TLSConfiguration,
        trustRoot: Certificate,
        revocations: LiveRevocationList,
        logger: Logger? = nil
    ) throws(PKIError) {
        do {
            self.sslContext = try NIOSSLContext(configuration: configuration)
        } catch {
            throw .tlsConfiguration(reason: "\(error)")
        }
        self.trustRoot = trustRoot
        self.revocations = revocations
        self.logger = logger
    }

    /// Server for a member's own credentials (its certificate, key and the alliance CA).
    public init(
        credentials: MemberCredentials,
        revocations: LiveRevocationList,
        logger: Logger? = nil
    ) throws(PKIError) {
        try self.init(
            configuration: credentials.serverTLSConfiguration(),
            trustRoot: credentials.caCertificate,
            revocations: revocations,
            logger: logger
        )
    }

    /// Adds the TLS handler and the connection guard, in that order, to an accepted
    /// connection's pipeline (call on its event loop, before the HTTP handlers).
    public func addServerHandlers(to pipeline: ChannelPipeline.SynchronousOperations) throws {
        try pipeline.addHandler(makeServerHandler())
        try pipeline.addHandler(makeConnectionGuard())
    }

    /// The TLS handler alone. It verifies full handshakes only; always follow it with
    /// ``makeConnectionGuard()`` (or use ``addServerHandlers(to:)``).
    public func makeServerHandler() -> NIOSSLServerHandler {
        let verifier = self
        return NIOSSLServerHandler(context: sslContext) { presented, promise in
            promise.completeWithTask {
                await verifier.verifyClientChain(presented)
            }
        }
    }

    /// The guard that follows the TLS handler (see ``AllianceConnectionGuard``).
    public func makeConnectionGuard() -> AllianceConnectionGuard {
        AllianceConnectionGuard(revocations: revocations, logger: logger)
    }

    /// Verifies a chain presented by a client (leaf first) against the alliance CA, the RFC 5280
    /// rules and ``AllianceMemberPolicy``; returns the validated chain (leaf to CA) on success.
    public func verifyClientChain(_ presented: [NIOSSLCertificate]) async -> NIOSSLVerificationResultWithMetadata {
        let chain: [Certificate]
        do {
            chain = try presented.map(PEMFiles.x509Certificate)
        } catch {
            logger?.notice("refused client certificate: it cannot be decoded")
            return .failed
        }
        guard let leaf = chain.first else {
            logger?.notice("refused client: no certificate")
            return .failed
        }
        switch await MemberCertificateVerifier(trustRoot: trustRoot, revocations: revocations)
            .verify(leaf: leaf, intermediates: Array(chain.dropFirst()), usage: .clientAuth) {
        case .valid(let validated, _):
            do {
                let nioChain = try validated.map { (certificate: Certificate) throws(PKIError) in
                    try PEMFiles.nioCertificate(certificate)
                }
                return .certificateVerified(VerificationMetadata(NIOSSL.ValidatedCertificateChain(nioChain)))
            } catch {
                logger?.error("refused client certificate: \(error)")
                return .failed
            }
        case .refused(let reason):
            logger?.notice("refused client certificate", metadata: ["reason": .string(reason)])
            return .failed
        }
    }
}
