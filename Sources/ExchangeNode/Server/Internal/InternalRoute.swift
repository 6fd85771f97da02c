import HTTPTypes

/// Every route of the internal listener: what the router registers, what 405 answers list in `Allow`,
/// which paths need no token, and what a test compares with docs/openapi.yaml's paths.
struct InternalRoute: Sendable, Hashable {
    let method: HTTPRequest.Method
    let path: String
    /// Answered without the bearer token (says nothing about the member's data).
    let isPublic: Bool

    static let screen = InternalRoute(method: .post, path: "/v1/screen", isPublic: false)
    static let watchAdd = InternalRoute(method: .post, path: "/v1/watch", isPublic: false)
    static let watchStatus = InternalRoute(method: .get, path: "/v1/watch", isPublic: false)
    static let watchRemove = InternalRoute(method: .post, path: "/v1/watch/remove", isPublic: false)
    static let outboxRead = InternalRoute(method: .get, path: "/v1/outbox", isPublic: false)
    static let outboxAcknowledge = InternalRoute(method: .post, path: "/v1/outbox/ack", isPublic: false)
    static let health = InternalRoute(method: .get, path: "/v1/health", isPublic: true)
    static let ready = InternalRoute(method: .get, path: "/v1/ready", isPublic: true)
    static let metrics = InternalRoute(method: .get, path: "/metrics", isPublic: true)
    static let contract = InternalRoute(method: .get, path: "/openapi.yaml", isPublic: true)

    /// The methods a path takes (for `Allow`), or nil for a path the listener does not have.
    static func methods(for path: String, in routes: [InternalRoute]) -> [HTTPRequest.Method]? {
        let methods = routes.filter { $0.path == path }.map(\.method)
        return methods.isEmpty ? nil : methods
    }
}
