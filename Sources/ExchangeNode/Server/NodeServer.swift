import AlliancePKI
import ExchangeRuntime
import Hummingbird
import Logging
import ServiceLifecycle

/// Builds the node's two listeners: the peer-facing mTLS server and the internal API.
package enum NodeServer {
    package static func peerApplication(
        _ node: NodeRuntime, logLevel: Logger.Level = .warning, onRunning: @escaping @Sendable (Int) async -> Void = { _ in }
    )
        throws(NodeError) -> some ApplicationProtocol
    {
        let router = Router(context: PeerRequestContext.self)
        router.add(middleware: PeerAuthorization(node: node))
        PeerRoutes(node: node).register(on: router)
        let listen = try HostPort.node(node.context.config.listen)
        let tls: AllianceTLSServer
        do {
            tls = try AllianceTLSServer(configuration: node.tls.serverConfiguration, trustRoot: node.tls.caCertificate,
                                        revocations: node.revocations, logger: node.context.logger)
        } catch {
            throw .configuration("TLS", underlying: error)
        }
        var logger = node.context.logger
        logger.logLevel = logLevel
        return Application(
            router: router,
            server: .allianceTLS(tls),
            configuration: .init(address: .hostname(listen.host, port: listen.port), serverName: nil),
            onServerRunning: { channel in await onRunning(channel.localAddress?.port ?? 0) },
            logger: logger
        )
    }
}
