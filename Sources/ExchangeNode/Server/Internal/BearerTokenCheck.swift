import AllianceHTTP
import ExchangeAudit
import HTTPTypes
import Hummingbird

/// Requires `Authorization: Bearer <token>` on every internal route but the package ones (health,
/// readiness, metrics, the contract), before anything else is looked at; a refusal is audited.
struct BearerTokenCheck: RouterMiddleware {
    typealias Context = PlainRequestContext
    let expected: String
    let publicPaths: Set<String>
    let node: NodeRuntime

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if publicPaths.contains(request.uri.path) { return try await next(request, context) }
        let presented = request.headers[.authorization].map { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : "" } ?? ""
        guard ConstantTime.equal(presented, expected) else {
            node.context.audit.append(AuditEvent(actor: AuditEvent.unknownActor, role: .internal, action: .request, outcome: .refused,
                                                 detail: ["path": .code(request.uri.path), "status": .count(401)]))
            return APIError(.unauthorized, "a valid bearer token is required", headers: [.wwwAuthenticate: "Bearer"]).response
        }
        return try await next(request, context)
    }
}
