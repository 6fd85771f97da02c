import AllianceHTTP
import ExchangeAudit
import ExchangeProtocol
import ExchangeRuntime
import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// The coordinator's endpoints (docs/coordinator.md). Callers are registered members
/// (``CoordinatorAuthorization``); each route further says which role it serves.
struct CoordinatorRoutes {
    let coordinator: CoordinatorContext

    /// The paths the coordinator serves; any other path is logged as `other`.
    static let paths: Set<String> = ["/v1/health", "/v1/membership", "/v1/revocations", "/v1/token-key", "/v1/reports",
                                     "/v1/statistics", "/dashboard"]

    /// A path that may be written to a log or audit record: one of ours, else `other`.
    static func loggablePath(_ path: String) -> String { paths.contains(path) ? path : "other" }

    func register(on router: Router<CoordinatorRequestContext>) {
        router.get("/v1/health") { _, _ in
            HealthAnswer(coordinator: coordinator.member)
        }
        router.get("/v1/membership") { request, context in
            guard context.caller != nil else { throw refuse(context, request, "not authorised") }
            return try MembershipDocument(coordinator: coordinator)
        }
        router.get("/v1/revocations") { request, context in
            guard context.caller != nil else { throw refuse(context, request, "not authorised") }
            guard let bytes = try coordinator.refreshRevocations() else {
                throw RequestRefused(.notFound, "the alliance has no revocation list")
            }
            return Response(status: .ok, headers: [.contentType: "application/json"],
                            body: .init(byteBuffer: ByteBuffer(bytes: bytes)))
        }
        router.get("/v1/token-key") { request, context in
            guard let caller = context.caller, caller.role == .node else {
                throw refuse(context, request, "only member nodes may fetch the token key")
            }
            let ring = try coordinator.tokenKeys()
            let key: AllianceTokenKey?
            if let text = request.uri.queryParameters["epoch"] {
                guard let epoch = UInt32(String(text)) else { throw RequestRefused(.badRequest, "epoch must be a number") }
                key = ring.key(epoch: epoch)
            } else {
                key = ring.current
            }
            guard let key else { throw RequestRefused(.notFound, "no token key for that epoch") }
            coordinator.audit.append(AuditEvent(actor: caller.member, role: .peer, action: "token-key.fetch", outcome: .ok,
                                                detail: ["epoch": .count(Int(key.epoch))]))
            return EditedResponse(headers: [.cacheControl: "no-store"], response: TokenKeyAnswer(key: key))
        }
        router.post("/v1/reports") { request, context in
            guard let caller = context.caller, caller.role == .node else {
                throw refuse(context, request, "only member nodes may send reports")
            }
            let body = try await request.body.collect(upTo: context.maxUploadSize)
            return try receive(Array(body.readableBytesView), from: caller)
        }
        router.get("/v1/statistics") { request, context in
            guard let caller = context.caller, caller.role == .operator else {
                throw refuse(context, request, "only operators may read the statistics")
            }
            let month = request.uri.queryParameters["month"].map(String.init)
            var statistics = try coordinator.statistics()
            if let month {
                do {
                    statistics = try statistics.restricted(toMonth: month)
                } catch {
                    throw RequestRefused(.badRequest, "\(error)")
                }
            }
            audited(caller, "stats.read", ["month": .code(month ?? "all")])
            return StatisticsDocument(statistics: statistics, alliance: coordinator.config.alliance, month: month)
        }
        router.get("/dashboard") { request, context in
            guard let caller = context.caller, caller.role == .operator else {
                throw refuse(context, request, "only operators may open the dashboard")
            }
            let month = request.uri.queryParameters["month"].map(String.init)
            let html: String
            do {
                html = try DashboardPage.render(statistics: try coordinator.statistics(), alliance: coordinator.config.alliance,
                                                generatedAt: Date(), month: month)
            } catch let error as ReportingError {
                throw RequestRefused(.badRequest, error.description)
            }
            audited(caller, "dashboard.read", ["month": .code(month ?? "all")])
            return Response(status: .ok, headers: [.contentType: "text/html; charset=utf-8", .cacheControl: "no-store"],
                            body: .init(byteBuffer: ByteBuffer(string: html)))
        }
    }

    private func receive(_ body: [UInt8], from caller: CoordinatorCaller) throws(RequestRefused) -> ReportStored {
        do {
            let accepted = try ReportIntake(coordinator: coordinator).receive(body: body, from: caller)
            let revision: Int
            switch accepted.outcome {
            case .stored: revision = 1
            case .replaced(let number): revision = number
            }
            coordinator.audit.append(AuditEvent(actor: caller.member, role: .peer, action: .statisticsReport, outcome: .ok,
                                                detail: ["day": .code(accepted.report.day), "counters": .count(accepted.report.counters.count),
                                                         "revision": .count(revision)]))
            coordinator.logger.info("report stored", metadata: ["member": "\(caller.member)", "day": "\(accepted.report.day)",
                                                                "counters": "\(accepted.report.counters.count)", "revision": "\(revision)"])
            return ReportStored(member: caller.member, day: accepted.report.day, revision: revision)
        } catch {
            coordinator.audit.append(AuditEvent(actor: caller.member, role: .peer, action: .statisticsReport, outcome: .refused,
                                                detail: ["reason": .code(error.code), "status": .count(error.status)]))
            coordinator.logger.notice("refused report", metadata: ["member": "\(caller.member)", "reason": "\(error.code)",
                                                                   "status": "\(error.status)"])
            throw RequestRefused(HTTPResponse.Status(code: error.status), error.description)
        }
    }

    private func audited(_ caller: CoordinatorCaller, _ action: AuditAction, _ detail: [String: AuditValue]) {
        coordinator.audit.append(AuditEvent(actor: caller.member, role: caller.auditRole, action: action, outcome: .ok, detail: detail))
    }

    private func refuse(_ context: CoordinatorRequestContext, _ request: Request, _ message: String) -> RequestRefused {
        let actor = context.caller?.member ?? AuditEvent.unknownActor
        let path = Self.loggablePath(request.uri.path)
        coordinator.audit.append(AuditEvent(actor: actor, role: context.caller?.auditRole ?? .peer, action: .request, outcome: .refused,
                                            detail: ["path": .code(path), "status": .count(403), "reason": .code("role")]))
        coordinator.logger.notice("refused request", metadata: ["caller": "\(actor)", "path": "\(path)", "status": "403", "reason": "role"])
        return RequestRefused(.forbidden, message)
    }
}
