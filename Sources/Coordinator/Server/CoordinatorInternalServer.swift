import AllianceHTTP
import ExchangeRuntime
import Foundation
import Hummingbird
import Logging
import Metrics
import NIOCore

/// The coordinator's plain internal listener (`internal_listen` in coordinator.json), for an
/// orchestrator, a load balancer and Prometheus, which should not hold an alliance certificate (an
/// operator's opens the dashboard): `GET /v1/health`, `GET /v1/ready` and `GET /metrics`, without any
/// credential and without member data. Bind it to loopback or a private interface.
package enum CoordinatorInternalServer {
    package static func application(_ coordinator: CoordinatorContext, listen: String) throws(CoordinatorError) -> some ApplicationProtocol {
        let address: HostPort
        do {
            address = try HostPort(parsing: listen)
        } catch {
            throw .invalidArgument(error.description)
        }
        let router = Router(context: PlainRequestContext.self)
        router.get("/v1/health") { _, _ in HealthAnswer(coordinator: coordinator.member) }
        router.get("/v1/ready") { _, _ in CoordinatorReadiness(coordinator: coordinator).answer() }
        router.get("/metrics") { _, _ in
            CoordinatorMetrics.shared.refresh(coordinator)
            return Response(status: .ok, headers: [.contentType: "text/plain; version=0.0.4"],
                            body: .init(byteBuffer: ByteBuffer(string: ProcessMetrics.exposition())))
        }
        var logger = coordinator.logger
        logger.logLevel = .warning
        return Application(router: router, configuration: .init(address: .hostname(address.host, port: address.port)), logger: logger)
    }
}

/// `GET /v1/ready` on the coordinator: the report store answers, the credentials are valid now, the
/// revocation list verifies against the CA, and a token key is present.
struct CoordinatorReadiness {
    let coordinator: CoordinatorContext

    func answer(now: Date = Date()) -> ReadinessAnswer {
        var reasons: [ReadinessAnswer.Reason] = []
        do {
            _ = try coordinator.store.pool.read { db in try Int.fetchOne(db, sql: "SELECT 1") }
        } catch {
            reasons.append(.init(check: "store", detail: "the report store does not answer"))
        }
        if coordinator.credentials.memberCertificate.notValidAfter <= now {
            reasons.append(.init(check: "certificate", detail: "the coordinator's certificate has expired"))
        }
        if coordinator.credentials.caCertificate.notValidAfter <= now {
            reasons.append(.init(check: "certificate", detail: "the alliance CA certificate has expired"))
        }
        do {
            try coordinator.refreshRevocations()
        } catch {
            reasons.append(.init(check: "revocation-list", detail: "the revocation list does not verify: \(error.code)"))
        }
        do {
            if try coordinator.tokenKeys().keys.isEmpty { reasons.append(.init(check: "token-keys", detail: "no token key")) }
        } catch {
            reasons.append(.init(check: "token-keys", detail: "the token keys cannot be read: \(error.code)"))
        }
        return ReadinessAnswer(checks: ["store", "certificate", "revocation-list", "token-keys"], reasons: reasons)
    }
}
