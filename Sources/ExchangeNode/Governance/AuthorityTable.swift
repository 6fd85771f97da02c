/// The authority model (docs/authority.md, 杜绝超权限操作): every endpoint of the node's two
/// listeners and the roles that may call it. The peer listener enforces it in
/// ``EndpointAuthorization`` (deny by default: a route missing from this table is refused);
/// the internal listener's bearer-token check implements the `internal` rows. The authority
/// tests call every endpoint below with every kind of caller and compare the answers with it,
/// and check that docs/authority.md lists exactly these rows.
enum AuthorityTable {
    enum Listener: String, Sendable, CaseIterable {
        /// mTLS, alliance certificates, configured peers only.
        case peer
        /// Plain HTTP on a private interface, bearer token.
        case `internal`
    }

    /// One endpoint and who may call it.
    struct Endpoint: Sendable, Hashable {
        let listener: Listener
        let method: String
        /// The route pattern, with `{name}` for a path parameter.
        let path: String
        /// A short stable name, used in audit records.
        let name: String
        /// The roles allowed; ignored when `open`.
        let roles: Set<CallerRole>
        /// Callable without any credential (counts-only endpoints on the private interface).
        let open: Bool

        func admits(_ role: CallerRole?) -> Bool {
            if open { return true }
            guard let role else { return false }
            return roles.contains(role)
        }
    }

    static let endpoints: [Endpoint] = [
        Endpoint(listener: .peer, method: "GET", path: "/v1/health", name: "peer.health", roles: [.peer, .coordinator], open: false),
        Endpoint(listener: .peer, method: "GET", path: "/v1/feed", name: "feed", roles: [.peer], open: false),
        Endpoint(listener: .peer, method: "GET", path: "/v1/digest", name: "digest", roles: [.peer], open: false),
        Endpoint(listener: .peer, method: "POST", path: "/v1/appeals", name: "appeals.file", roles: [.peer], open: false),
        Endpoint(listener: .peer, method: "GET", path: "/v1/appeals/{id}", name: "appeals.read", roles: [.peer], open: false),
        Endpoint(listener: .peer, method: "POST", path: "/v1/mask", name: "mask", roles: [.peer], open: false),
        Endpoint(listener: .peer, method: "GET", path: "/v1/held", name: "held", roles: [.peer], open: false),
        Endpoint(listener: .internal, method: "GET", path: "/v1/health", name: "internal.health", roles: [], open: true),
        Endpoint(listener: .internal, method: "GET", path: "/v1/ready", name: "internal.ready", roles: [], open: true),
        Endpoint(listener: .internal, method: "GET", path: "/metrics", name: "metrics", roles: [], open: true),
        Endpoint(listener: .internal, method: "POST", path: "/v1/screen", name: "screen", roles: [.internal], open: false),
        Endpoint(listener: .internal, method: "POST", path: "/v1/watch", name: "watch.add", roles: [.internal], open: false),
        Endpoint(listener: .internal, method: "POST", path: "/v1/watch/remove", name: "watch.remove", roles: [.internal], open: false),
        Endpoint(listener: .internal, method: "GET", path: "/v1/watch", name: "watch.status", roles: [.internal], open: false),
        Endpoint(listener: .internal, method: "GET", path: "/v1/outbox", name: "outbox.read", roles: [.internal], open: false),
        Endpoint(listener: .internal, method: "POST", path: "/v1/outbox/ack", name: "outbox.ack", roles: [.internal], open: false),
        Endpoint(listener: .internal, method: "GET", path: "/openapi.yaml", name: "contract", roles: [], open: true),
        Endpoint(listener: .internal, method: "POST", path: "/v1/keys/rotate", name: "keys.rotate", roles: [.internal], open: false),
    ]

    /// The endpoint with this listener, method and route pattern, if the table has it.
    static func endpoint(_ listener: Listener, method: String, path: String) -> Endpoint? {
        endpoints.first { $0.listener == listener && $0.method == method && $0.path == path }
    }
}
