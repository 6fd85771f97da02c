import AllianceHTTP
import ExchangeAudit
import HTTPTypes
import Hummingbird

/// Route-level check on the peer listener, after ``PeerAuthorization`` has established the caller:
/// the matched route must be in ``AuthorityTable`` and allow the caller's role. Anything else is
/// answered 403 and audited (actor, role, endpoint name, reason code).
struct EndpointAuthorization: RouterMiddleware {
    typealias Context = PeerRequestContext

    let node: NodeRuntime

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        guard let caller = context.caller else {
            throw refuse(request, actor: AuditEvent.unknownActor, role: .peer, endpoint: nil, reason: "no-caller",
                          message: "not authorised")
        }
        let pattern = context.endpointPath ?? request.uri.path
        guard let endpoint = AuthorityTable.endpoint(.peer, method: request.method.rawValue, path: pattern) else {
            throw refuse(request, actor: caller.member, role: caller.role.auditRole, endpoint: nil, reason: "not-in-authority-table",
                          message: "\(request.method.rawValue) \(pattern) is not in this node's authority table")
        }
        guard endpoint.admits(caller.role) else {
            throw refuse(request, actor: caller.member, role: caller.role.auditRole, endpoint: endpoint, reason: "role-not-allowed",
                          message: "role \(caller.role.rawValue) may not call \(endpoint.method) \(endpoint.path)")
        }
        return try await next(request, context)
    }

    private func refuse(_ request: Request, actor: String, role: AuditRole, endpoint: AuthorityTable.Endpoint?, reason: String,
                        message: String) -> RequestRefused {
        var detail: [String: AuditValue] = ["status": .count(403), "reason": .code(reason)]
        if let endpoint { detail["endpoint"] = .code(endpoint.name) } else { detail["path"] = .code(request.uri.path) }
        node.context.audit.append(AuditEvent(actor: actor, role: role, action: .request, outcome: .refused, detail: detail))
        node.context.logger.notice("refused request", metadata: ["caller": "\(actor)", "reason": "\(reason)"])
        return RequestRefused(.forbidden, message)
    }
}
