import AllianceHTTP
import ExchangeAudit
import Hummingbird

/// Requires `Authorization: Bearer <token>` on every internal route except /metrics and /v1/health.
struct BearerTokenCheck: RouterMiddleware {
    typealias Context = PlainRequestContext
    let expected: String
    let node: NodeRuntime

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path == "/metrics" || request.uri.path == "/v1/health" { return try await next(request, context) }
        let presented = request.headers[.authorization].map { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : "" } ?? ""
        guard ConstantTime.equal(presented, expected) else {
            node.context.audit.append(AuditEvent(actor: AuditEvent.unknownActor, role: .internal, action: .request, outcome: .refused,
                                                 detail: ["path": .code(request.uri.path), "status": .count(401)]))
            throw RequestRefused(.unauthorized, "a valid bearer token is required")
        }
        return try await next(request, context)
    }
}
