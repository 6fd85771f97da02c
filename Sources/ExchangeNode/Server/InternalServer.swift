import AllianceHTTP
import ExchangeRuntime
import Foundation
import Hummingbird
import NIOCore

/// The internal listener: the member's own systems call it (real-time screening, the outbox),
/// with the bearer token in `HOME/keys/internal-api.token`. It must be bound to a private
/// interface (default 127.0.0.1); peers never reach it — it is a different port without the
/// alliance TLS, and the peer listener has no screening route.
package enum InternalServer {
    package static func application(_ node: NodeRuntime, screening service: ScreeningService) throws(NodeError) -> some ApplicationProtocol {
        let listen = try HostPort.node(node.context.config.internalListen)
        let token = String(decoding: try NodeError.files(SecureFile.readSecret(node.context.home.internalTokenFile)), as: UTF8.self)
            .trimmingCharacters(in: .whitespacesAndNewlines)
        let router = Router(context: PlainRequestContext.self)
        router.add(middleware: BearerTokenCheck(expected: token, node: node))
        router.get("/v1/health") { _, _ in HealthAnswer() }
        router.post("/v1/screen") { request, context in
            let body = try await request.body.collect(upTo: 4 << 20)
            return try await RealTimeScreening(service: service).handle(body: Array(body.readableBytesView))
        }
        WatchRoutes(service: try WatchService(context: node.context, client: service.client, screening: service)).register(on: router)
        router.get("/v1/outbox") { request, _ in
            guard let after = Int64(request.uri.queryParameters["after"].map(String.init) ?? "0"),
                  let requested = Int(request.uri.queryParameters["limit"].map(String.init) ?? "1000"), requested >= 1 else {
                throw RequestRefused(.badRequest, "after must be an outbox sequence number and limit a positive count")
            }
            let limit = min(10_000, requested)
            let records = try node.context.store.read { db in try Outbox.read(after: after, limit: limit, db) }
            // JSON lines of stored records: each record's JSON is kept as the transaction that queued it wrote it.
            let text = records.map { "{\"seq\":\($0.seq),\"record\":\($0.json)}" }.joined(separator: "\n")
            return Response(status: .ok, headers: [.contentType: "application/x-ndjson"],
                            body: .init(byteBuffer: ByteBuffer(string: text.isEmpty ? "" : text + "\n")))
        }
        router.post("/v1/outbox/ack") { request, _ in
            guard let through = request.uri.queryParameters["through"].flatMap({ Int64(String($0)) }) else {
                throw RequestRefused(.badRequest, "through=SEQ is required")
            }
            let consumer = request.uri.queryParameters["consumer"].map(String.init) ?? "default"
            try node.context.store.write { db in try Outbox.acknowledge(consumer: consumer, through: through, db) }
            return OutboxAcknowledged(consumer: consumer, through: through)
        }
        router.get("/metrics") { _, _ in
            Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                     body: .init(byteBuffer: ByteBuffer(string: ProcessMetrics.exposition())))
        }
        var logger = node.context.logger
        logger.logLevel = .warning
        return Application(router: router, configuration: .init(address: .hostname(listen.host, port: listen.port)), logger: logger)
    }
}
