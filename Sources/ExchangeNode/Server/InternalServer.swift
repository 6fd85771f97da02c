import AllianceHTTP
import ExchangeAudit
import ExchangeCrypto
import ExchangeProtocol
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
        let router = Router(context: BasicRequestContext.self)
        router.add(middleware: BearerTokenCheck(expected: token, node: node))
        router.get("/v1/health") { _, _ in JSONResponse.json("{\"status\":\"ok\"}") }
        router.post("/v1/screen") { request, context in
            let body = try await request.body.collect(upTo: 4 << 20)
            return await RealTimeScreening(service: service).handle(body: Array(body.readableBytesView))
        }
        WatchRoutes(service: try WatchService(context: node.context, client: service.client, screening: service)).register(on: router)
        router.get("/v1/outbox") { request, _ in
            guard let after = Int64(request.uri.queryParameters["after"].map(String.init) ?? "0"),
                  let requested = Int(request.uri.queryParameters["limit"].map(String.init) ?? "1000"), requested >= 1 else {
                return JSONResponse.error(.badRequest, "after must be an outbox sequence number and limit a positive count")
            }
            let limit = min(10_000, requested)
            let records = try node.context.store.read { db in try Outbox.read(after: after, limit: limit, db) }
            let text = records.map { "{\"seq\":\($0.seq),\"record\":\($0.json)}" }.joined(separator: "\n")
            return Response(status: .ok, headers: [.contentType: "application/x-ndjson"],
                            body: .init(byteBuffer: ByteBuffer(string: text.isEmpty ? "" : text + "\n")))
        }
        router.post("/v1/outbox/ack") { request, _ in
            guard let through = request.uri.queryParameters["through"].flatMap({ Int64(String($0)) }) else {
                return JSONResponse.error(.badRequest, "through=SEQ is required")
            }
            let consumer = request.uri.queryParameters["consumer"].map(String.init) ?? "default"
            try node.context.store.write { db in try Outbox.acknowledge(consumer: consumer, through: through, db) }
            return JSONResponse.json("{\"consumer\":\(JSONText.quote(consumer)),\"through\":\(through)}")
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

/// Requires `Authorization: Bearer <token>` on every internal route except /metrics and /v1/health.
struct BearerTokenCheck: RouterMiddleware {
    typealias Context = BasicRequestContext
    let expected: String
    let node: NodeRuntime

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if request.uri.path == "/metrics" || request.uri.path == "/v1/health" { return try await next(request, context) }
        let presented = request.headers[.authorization].map { $0.hasPrefix("Bearer ") ? String($0.dropFirst(7)) : "" } ?? ""
        guard ConstantTime.equal(presented, expected) else {
            node.context.audit.append(AuditEvent(actor: AuditEvent.unknownActor, role: .internal, action: .request, outcome: .refused,
                                                 detail: ["path": .code(request.uri.path), "status": .count(401)]))
            return JSONResponse.error(.unauthorized, "a valid bearer token is required")
        }
        return try await next(request, context)
    }
}

enum ConstantTime {
    static func equal(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8), y = Array(b.utf8)
        guard x.count == y.count else { return false }
        var difference: UInt8 = 0
        for index in x.indices { difference |= x[index] ^ y[index] }
        return difference == 0
    }
}

/// `POST /v1/screen`: `{"items":[{"ref","kind","identifier"}], "as_of":"YYYY-MM-DD"?}` (or one item
/// as the whole body) → `{"matches":[...],"rejected":[{"ref","reason"}]}`.
struct RealTimeScreening {
    let service: ScreeningService

    struct Item: Decodable {
        let ref: String
        let kind: String
        let identifier: String
    }

    struct Batch: Decodable {
        let items: [Item]
        let asOf: String?
        enum CodingKeys: String, CodingKey {
            case items
            case asOf = "as_of"
        }
    }

    func handle(body: [UInt8]) async -> Response {
        let decoder = JSONDecoder()
        let batch: Batch
        if let decoded = try? decoder.decode(Batch.self, from: Data(body)) {
            batch = decoded
        } else if let single = try? decoder.decode(Item.self, from: Data(body)) {
            batch = Batch(items: [single], asOf: nil)
        } else {
            return JSONResponse.error(.badRequest, "body must be {\"items\":[{\"ref\",\"kind\",\"identifier\"}]} or one such item")
        }
        guard batch.items.count <= 10_000 else { return JSONResponse.error(.contentTooLarge, "at most 10000 items per request") }
        var day = NodeClock.today()
        if let asOf = batch.asOf {
            guard let parsed = Day(parsing: asOf) else { return JSONResponse.error(.badRequest, "as_of must be YYYY-MM-DD") }
            day = parsed
        }
        var accounts: [Screener.Account] = []
        var rejected: [String] = []
        for item in batch.items {
            guard let kind = IdentifierKind(rawValue: item.kind.lowercased()) else {
                rejected.append("{\"ref\":\(JSONText.quote(item.ref)),\"reason\":\"unknown identifier kind\"}")
                continue
            }
            do {
                accounts.append(Screener.Account(ref: item.ref, identifier: try SubjectIdentifier(kind: kind, parsing: item.identifier)))
            } catch {
                rejected.append("{\"ref\":\(JSONText.quote(item.ref)),\"reason\":\(JSONText.quote(error.description))}")
            }
        }
        let matches: [ScreenMatch]
        let staleOrigins: [StaleOrigin]
        let unreachableOrigins: [UnreachableOrigin]
        do {
            let outcome = try await service.freshEngine().screenReporting(accounts, on: day)
            matches = outcome.matches.flatMap { $0 }
            staleOrigins = outcome.staleOrigins
            unreachableOrigins = outcome.unreachableOrigins
        } catch {
            return JSONResponse.error(.internalServerError, "screening failed")
        }
        do {
            _ = try service.record(matches, screened: batch.items.count - rejected.count, day: day)
        } catch {
            return JSONResponse.error(.internalServerError, "cannot record matches")
        }
        NodeMetrics.shared.screened(batch.items.count, matches: matches.count)
        let matchesJSON: String = matches.map(\.jsonLine).joined(separator: ",")
        let rejectedJSON: String = rejected.joined(separator: ",")
        // Pairwise scheme: peers whose key epoch moved on since our last sync; their matches may be missing.
        let staleJSON = staleOrigins.isEmpty ? "" : ",\"stale_origins\":[" + staleOrigins.map(\.jsonObject).joined(separator: ",") + "]"
        // Pairwise scheme: peers that could not mask the queries; their entries were not screened.
        let unreachableJSON = unreachableOrigins.isEmpty ? ""
            : ",\"unreachable_origins\":[" + unreachableOrigins.map(\.jsonObject).joined(separator: ",") + "]"
        return JSONResponse.json("{\"matches\":[\(matchesJSON)],\"rejected\":[\(rejectedJSON)]\(staleJSON)\(unreachableJSON)}")
    }
}
