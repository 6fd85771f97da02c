import AllianceHTTP
import AlliancePKI
import ExchangeRuntime
import Hummingbird
import Logging
import ServiceLifecycle

/// Builds the coordinator's mTLS listener: the alliance TLS handler (CA-only trust, revoked
/// serials refused at the handshake), then ``CoordinatorAuthorization`` (registered members only),
/// then ``CoordinatorRoutes``.
package enum CoordinatorServer {
    package static func application(
        _ coordinator: CoordinatorContext, listen: String? = nil, logLevel: Logger.Level = .warning,
        onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    ) throws(CoordinatorError) -> some ApplicationProtocol {
        let router = Router(context: CoordinatorRequestContext.self)
        router.add(middleware: CoordinatorAuthorization(coordinator: coordinator, rateLimiter: RateLimiter()))
        CoordinatorRoutes(coordinator: coordinator).register(on: router)
        let address: HostPort
        do {
            address = try HostPort(parsing: listen ?? coordinator.config.listen)
        } catch {
            throw .invalidArgument(error.description)
        }
        let tls: AllianceTLSServer
        do {
            tls = try AllianceTLSServer(credentials: coordinator.credentials, revocations: coordinator.revocations,
                                        logger: coordinator.logger)
        } catch {
            throw .configuration("TLS", underlying: error)
        }
        var logger = coordinator.logger
        logger.logLevel = logLevel
        return Application(
            router: router,
            server: .allianceTLS(tls),
            configuration: .init(address: .hostname(address.host, port: address.port), serverName: nil),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }
}
