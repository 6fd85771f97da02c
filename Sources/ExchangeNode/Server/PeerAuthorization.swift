import AllianceHTTP
import AlliancePKI
import ExchangeAudit
import Foundation
import HTTPTypes
import Hummingbird
import Logging
import NIOCore
import NIOSSL

/// Establishes who is calling the peer-facing listener and refuses everything beyond authority:
/// the certificate (already verified against the alliance CA and the revocation list during the
/// handshake) must name a member of our peers directory; the protocol version must be one we
/// speak; each caller is rate-limited. Refusals are answered 4xx and audited.
struct PeerAuthorization: RouterMiddleware {
    typealias Context = PeerRequestContext

    let node: NodeRuntime

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        let identity: PeerIdentity
        do {
            guard let peer = try await context.verifiedPeer() else {
                throw refuse(.forbidden, "a client certificate is required", actor: AuditEvent.unknownActor, role: .peer, request)
            }
            identity = peer.identity
        } catch {
            throw refuse(.forbidden, "the client certificate carries no alliance identity", actor: AuditEvent.unknownActor, role: .peer, request)
        }
        let member = identity.memberID.rawValue
        if let version = request.headers[.exchangeProtocol], version != PeerClient.protocolVersion {
            throw refuse(.badRequest, "protocol version \(version) is not supported (this node speaks \(PeerClient.protocolVersion))",
                          actor: member, role: .peer, request)
        }
        let peer = node.context.peers.peers[member]
        let role: CallerRole
        switch (identity.role, peer?.role) {
        case (.node, .node?): role = .peer
        case (.coordinator, .coordinator?): role = .coordinator
        default:
            throw refuse(.forbidden, "member \(member) is not a configured peer of this node", actor: member, role: .peer, request)
        }
        if !node.rateLimiter.allow(member, perSecond: peer?.requestsPerSecond ?? 50) {
            throw refuse(.tooManyRequests, "rate limit exceeded", actor: member, role: role.auditRole, request)
        }
        var context = context
        context.caller = Caller(member: member, role: role, peer: peer)
        return try await next(request, context)
    }

    private func refuse(_ status: HTTPResponse.Status, _ reason: String, actor: String, role: AuditRole, _ request: Request) -> RequestRefused {
        node.context.audit.append(AuditEvent(actor: actor, role: role, action: .request, outcome: .refused,
                                             detail: ["path": .code(request.uri.path), "status": .count(Int(status.code))]))
        node.context.logger.notice("refused request", metadata: ["caller": "\(actor)", "path": "\(request.uri.path)", "status": "\(status.code)"])
        return RequestRefused(status, reason)
    }
}

extension CallerRole {
    var auditRole: AuditRole {
        switch self {
        case .peer: .peer
        case .coordinator: .coordinator
        case .internal: .internal
        case .operator: .operator
        }
    }
}

extension HTTPField.Name {
    static let exchangeProtocol = HTTPField.Name("X-Exchange-Protocol")!
}
