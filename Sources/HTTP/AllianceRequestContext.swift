import AlliancePKI
import Hummingbird
import NIOCore
import NIOSSL
import X509

/// The request context of an alliance mTLS listener (the node's peer listener, the coordinator): it keeps
/// the channel so that the caller's verified certificate can be read, carries the caller once the
/// authorisation middleware has resolved it, and answers with ``JSONAnswerEncoder``.
package struct AllianceRequestContext<Caller: AllianceCaller>: RequestContext {
    package var coreContext: CoreRequestContextStorage
    package let channel: any Channel
    package var caller: Caller?

    package init(source: ApplicationRequestContextSource) {
        coreContext = .init(source: source)
        channel = source.channel
        caller = nil
    }

    package var maxUploadSize: Int { Caller.maxUploadSize }

    package var responseEncoder: JSONAnswerEncoder { JSONAnswerEncoder() }

    /// The client certificate the TLS handshake verified (against the alliance CA, the member policy and
    /// the revocation list), with the alliance identity it carries; nil when the client presented none.
    /// Throws when the certificate carries no alliance identity.
    package func verifiedPeer() async throws -> (certificate: Certificate, identity: PeerIdentity)? {
        guard let presented = try await channel.nioSSL_peerCertificate().get() else { return nil }
        let certificate = try PEMFiles.x509Certificate(presented)
        return (certificate, try PeerIdentity(certificate: certificate))
    }
}
