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

/// Runs a sync round every interval (with jitter below it, and exponential backoff after failures).
/// After each round it refreshes the real-time screening index if any process changed the entries.
package struct SyncLoop: Service {
    let node: NodeRuntime
    let screening: ScreeningService?

    package init(node: NodeRuntime, screening: ScreeningService?) {
        self.node = node
        self.screening = screening
    }

    package func run() async throws {
        let client = node.makePeerClient()
        let base = max(0.5, node.context.config.syncIntervalSeconds)
        var failures = 0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let results = await node.makeSyncRound(client: client).run()
            // Rebuild the real-time index now rather than on the next request, if anything changed.
            do {
                _ = try screening?.freshEngine()
            } catch {
                node.context.logger.error("cannot reload the screening index", metadata: ["error": "\(error)"])
            }
            failures = results.contains { $0.error != nil } ? min(failures + 1, 6) : 0
            // Jitter only shortens the wait: a change at a peer is applied (and matched against the
            // watched base) at most one interval plus one round after it was made.
            let delay = min(base * Double(1 << failures), 600) * Double.random(in: 0.8...1.0)
            try? await Task.sleep(for: .milliseconds(Int(delay * 1000)))
        }
        await client.shutdown()
    }
}
