import AllianceHTTP
import AlliancePKI
import Crypto
import ExchangeAudit
import HTTPTypes
import Hummingbird
import NIOSSL
import X509

/// Lets a request through only when its client certificate (already verified against the alliance
/// CA and the revocation list during the handshake) names a member of the registry with the same
/// role. Everyone else gets 403, audited and logged; the audit record holds the caller's member
/// id from the certificate, the path and the status — never a body.
struct CoordinatorAuthorization: RouterMiddleware {
    typealias Context = CoordinatorRequestContext

    let coordinator: CoordinatorContext
    let rateLimiter: RateLimiter

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let identity: PeerIdentity
        let certificate: Certificate
        do {
            guard let peer = try await context.verifiedPeer() else {
                throw refuse(.forbidden, "a client certificate is required", reason: "no-certificate",
                              actor: AuditEvent.unknownActor, role: .peer, request)
            }
            (certificate, identity) = peer
        } catch {
            throw refuse(.forbidden, "the client certificate carries no alliance identity", reason: "no-identity",
                          actor: AuditEvent.unknownActor, role: .peer, request)
        }
        let member = identity.memberID.rawValue
        let registered = try coordinator.registry().member(member)
        guard let registered else {
            throw refuse(.forbidden, "member \(member) is not a registered member of the alliance", reason: "not-a-member",
                          actor: member, role: .peer, request)
        }
        guard registered.role == identity.role else {
            throw refuse(.forbidden, "member \(member) is registered as \(registered.role.rawValue), its certificate says \(identity.role.rawValue)",
                          reason: "role-mismatch", actor: member, role: .peer, request)
        }
        guard rateLimiter.allow(member, perSecond: 200) else {
            throw refuse(.tooManyRequests, "rate limit exceeded", reason: "rate-limit", actor: member, role: .peer, request)
        }
        var context = context
        context.caller = CoordinatorCaller(member: member, role: identity.role, serialHex: identity.serialHex,
                                           publicKey: P256.Signing.PublicKey(certificate.publicKey))
        return try await next(request, context)
    }

    private func refuse(_ status: HTTPResponse.Status, _ message: String, reason: String, actor: String, role: AuditRole,
                        _ request: Request) -> RequestRefused {
        let path = CoordinatorRoutes.loggablePath(request.uri.path)
        coordinator.audit.append(AuditEvent(actor: actor, role: role, action: .request, outcome: .refused,
                                            detail: ["path": .code(path), "status": .count(Int(status.code)),
                                                     "reason": .code(reason)]))
        coordinator.logger.notice("refused request", metadata: ["caller": "\(actor)", "path": "\(path)",
                                                                "status": "\(status.code)", "reason": "\(reason)"])
        return RequestRefused(status, message)
    }
}
