import Foundation
import Logging
import NIOCore
import NIOSSL
import X509

/// Sits right after the `NIOSSLServerHandler` of an alliance mTLS connection and lets no
/// application data through unless the peer's certificate carries a member identity, is within
/// its validity period and is not revoked — checked before the first read is passed on, and the
/// revocation again on every read.
///
/// Why, given that ``AllianceTLSServer``'s verification callback already checks all this during
/// the handshake: BoringSSL does not run certificate verification when a client *resumes* a TLS
/// session (session tickets are on by default and NIOSSL offers no switch), so a member revoked
/// after its first connection could otherwise come back with its saved session. Re-checking on
/// every read also cuts off long-lived keep-alive connections of a member revoked meanwhile.
///
/// After the first read, ``peerIdentity`` says who the peer is (read once per connection):
/// `try channel.pipeline.syncOperations.handler(type: AllianceConnectionGuard.self).peerIdentity`.
public final class AllianceConnectionGuard: ChannelInboundHandler, RemovableChannelHandler {
    public typealias InboundIn = ByteBuffer
    public typealias InboundOut = ByteBuffer

    private enum State {
        case unchecked
        case authenticated(PeerIdentity)
        case refused
    }

    private let revocations: LiveRevocationList
    private let logger: Logger?
    private var state = State.unchecked

    public init(revocations: LiveRevocationList, logger: Logger? = nil) {
        self.revocations = revocations
        self.logger = logger
    }

    /// The verified peer, once the first bytes of application data have arrived.
    public var peerIdentity: PeerIdentity? {
        if case .authenticated(let identity) = state { return identity }
        return nil
    }

    public func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        switch state {
        case .refused:
            return
        case .unchecked:
            switch authenticate(context: context) {
            case .success(let identity):
                state = .authenticated(identity)
            case .failure(let reason):
                refuse(context: context, reason: reason)
                return
            }
        case .authenticated(let identity):
            if revocations.isRevoked(serialHex: identity.serialHex) {
                refuse(context: context, reason: .revoked(identity))
                return
            }
        }
        context.fireChannelRead(data)
    }

    private func authenticate(context: ChannelHandlerContext) -> Result<PeerIdentity, Refusal> {
        let presented: NIOSSLCertificate
        do {
            guard let certificate = try context.pipeline.syncOperations.nioSSL_peerCertificate() else {
                return .failure(.identity(.noPeerCertificate))
            }
            presented = certificate
        } catch {
            return .failure(.identity(.noTLSHandler))
        }
        let certificate: Certificate
        let identity: PeerIdentity
        do {
            certificate = try PEMFiles.x509Certificate(presented)
            identity = try PeerIdentity(certificate: presented)
        } catch let error as PeerIdentityError {
            return .failure(.identity(error))
        } catch {
            return .failure(.identity(.undecodableCertificate))
        }
        let now = Date()
        guard certificate.notValidBefore <= now, now <= certificate.notValidAfter else {
            return .failure(.outsideValidity(identity))
        }
        if revocations.isRevoked(serialHex: identity.serialHex) {
            return .failure(.revoked(identity))
        }
        return .success(identity)
    }

    private func refuse(context: ChannelHandlerContext, reason: Refusal) {
        state = .refused
        logger?.notice("closing alliance connection", metadata: ["reason": .string(reason.description)])
        context.close(promise: nil)
    }

    private enum Refusal: Error, CustomStringConvertible {
        case identity(PeerIdentityError)
        case outsideValidity(PeerIdentity)
        case revoked(PeerIdentity)

        var description: String {
            switch self {
            case .identity(let error): error.description
            case .outsideValidity(let identity): "the certificate of \(identity) is expired or not yet valid"
            case .revoked(let identity): "the certificate of \(identity) is revoked"
            }
        }
    }
}

@available(*, unavailable)
extension AllianceConnectionGuard: Sendable {}
