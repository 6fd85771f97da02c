import AllianceHTTP
import ExchangeAudit
import Hummingbird

/// Requires `Authorization: Bearer <token>` on every internal route except the open ones of the
/// authority table (/v1/health, /v1/ready, /metrics: no member data).
struct BearerTokenCheck: RouterMiddleware {
    typealias Context = PlainRequestContext
    let expected: String
    let node: NodeRuntime

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if AuthorityTable.endpoint(.internal, method: request.method.rawValue, path: request.uri.path)?.open == true {
            return try await next(request, context)
        }
        let presented = request.headers[.authorization].map { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : "" } ?? ""
        guard ConstantTime.equal(presented, expected) else {
            node.context.audit.append(AuditEvent(actor: AuditEvent.unknownActor, role: .internal, action: .request, outcome: .refused,
                                                 detail: ["path": .code(request.uri.path), "status": .count(401)]))
            throw RequestRefused(.unauthorized, "a valid bearer token is required")
        }
        return try await next(request, context)
    }
}
