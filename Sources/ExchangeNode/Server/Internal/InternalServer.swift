import AllianceHTTP
import ExchangeCrypto
import ExchangeProtocol
import ExchangeRuntime
import Foundation
import Hummingbird
import Logging
import NIOCore

/// The internal listener: the member's own systems call it (screening, watching, the outbox), with the
/// bearer token in `HOME/keys/internal-api.token`. It must be bound to a private interface (default
/// 127.0.0.1); peers never reach it. Its contract is docs/openapi.yaml, served at `GET /openapi.yaml`
/// and proved by `scripts/schemathesis.sh`.
package enum InternalServer {
    /// `logLevel` is the server's own (Hummingbird's) logging; the bench, which stops its servers by
    /// cancelling them rather than by a graceful shutdown, passes `.critical`.
    package static func application(
        _ node: NodeRuntime, screening service: ScreeningService, logLevel: Logger.Level = .warning
    ) throws(NodeError) -> some ApplicationProtocol {
        let listen = try HostPort.node(node.context.config.internalListen)
        let token = String(decoding: try NodeError.files(SecureFile.readSecret(node.context.home.internalTokenFile)), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let router = Router(context: PlainRequestContext.self)
        try register(on: router, node: node, screening: service, token: token)
        var logger = node.context.logger
        logger.logLevel = logLevel
        return Application(router: router, configuration: .init(address: .hostname(listen.host, port: listen.port)), logger: logger)
    }

    /// The routes this listener has (the route table behind 405 answers and the contract test).
    static let routes: [InternalRoute] = [
        .screen, .watchAdd, .watchStatus, .watchRemove, .outboxRead, .outboxAcknowledge, .keysRotate, .health, .ready, .metrics,
        .contract,
    ]

    /// Adds the middlewares (they wrap only the routes registered after them), then every route.
    static func register(on router: Router<PlainRequestContext>, node: NodeRuntime, screening service: ScreeningService, token: String)
        throws(NodeError)
    {
        router.add(middleware: InternalErrorMiddleware(routes: routes, logger: node.context.logger))
        router.add(middleware: BearerTokenCheck(expected: token, publicPaths: Set(routes.filter(\.isPublic).map(\.path)), node: node))
        router.add(middleware: RequestBodyLimit())
        let outbox = OutboxAPI(store: node.context.store)
        router.post(.init(InternalRoute.screen.path)) { request, _ in
            let body = try await request.body.collect(upTo: RequestBodyLimit.maxBytes)
            return await RealTimeScreening(service: service).handle(body: Array(body.readableBytesView))
        }
        WatchRoutes(service: try WatchService(context: node.context, client: service.client, screening: service)).register(on: router)
        router.get(.init(InternalRoute.outboxRead.path)) { request, _ in outbox.read(request) }
        router.post(.init(InternalRoute.outboxAcknowledge.path)) { request, _ in outbox.acknowledge(request) }
        router.post(.init(InternalRoute.keysRotate.path)) { _, _ in await KeysRotateRoute(context: node.context).rotate() }
        router.get(.init(InternalRoute.health.path)) { _, _ in APIResponse.json(HealthAnswer()) }
        router.get(.init(InternalRoute.ready.path)) { _, _ in
            let answer = NodeReadiness(node: node).answer()
            return APIResponse.json(answer, status: answer.isReady ? .ok : .serviceUnavailable)
        }
        router.get(.init(InternalRoute.metrics.path)) { _, _ in
            NodeMetrics.shared.refresh(node)
            return APIResponse.text(ProcessMetrics.exposition(), type: "text/plain; version=0.0.4")
        }
        router.get(.init(InternalRoute.contract.path)) { _, _ in APIResponse.text(OpenAPIDocument.yaml, type: "application/yaml") }
    }
}
