import ArgumentParser
import ExchangeAudit
import ExchangeNode
import Hummingbird
import Logging
import ServiceLifecycle

/// `exchange-node serve --home HOME`: the node daemon.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the node: peer listener (mTLS), internal API, and a sync round every interval.",
        discussion: "Stops gracefully on SIGTERM or SIGINT."
    )

    @OptionGroup var options: HomeOption

    @Flag(name: .long, help: "Do not sync on an interval (serve only).")
    var noSync = false

    func run() async throws {
        let context = try NodeContext(home: options.nodeHome)
        let node = try NodeRuntime(context: context)
        let peerApp = try NodeServer.peerApplication(node) { port in
            context.logger.notice("peer listener running", metadata: ["port": "\(port)"])
        }
        let maskingClient = node.makePeerClient()
        let screening = try ScreeningService(context: context, client: maskingClient)
        let internalApp = try InternalServer.application(node, screening: screening)
        var services: [any Service] = [peerApp, internalApp]
        if !noSync { services.append(SyncLoop(node: node, screening: screening)) }
        if let coordinatorURL = CounterReporter.coordinatorURL(of: context) {
            services.append(CoordinatorReportLoop(node: node, coordinatorURL: coordinatorURL))
        }
        let group = ServiceGroup(configuration: .init(services: services, gracefulShutdownSignals: [.sigterm, .sigint],
                                                      logger: context.logger))
        context.audit.append(AuditEvent(actor: AuditEvent.localActor, role: .local, action: "node.start", outcome: .ok))
        do {
            try await group.run()
        } catch {
            await maskingClient.shutdown()
            throw error
        }
        await maskingClient.shutdown()
        try? context.audit.flush()
    }
}
