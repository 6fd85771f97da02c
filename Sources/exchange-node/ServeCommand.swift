import ArgumentParser
import ExchangeAudit
import ExchangeNode
import ExchangeRuntime
import Hummingbird
import Logging
import ServiceLifecycle

/// `exchange-node serve --home HOME`: the node daemon.
struct ServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the node: peer listener (mTLS), internal API, and a sync round every interval.",
        discussion: """
            Stops gracefully on SIGTERM or SIGINT, within 2 s, with exit status 0: sync rounds, reports and \
            waits are cancelled, the store transaction in progress commits or rolls back, and the audit log \
            is flushed and closed last.
            """
    )

    @OptionGroup var options: HomeOption
    @OptionGroup var logging: LogFormatOption

    @Flag(name: .long, help: "Do not sync on an interval (serve only).")
    var noSync = false

    func run() async throws {
        logging.apply()
        let context = try NodeContext(home: options.nodeHome)
        let node = try NodeRuntime(context: context, syncsOnInterval: !noSync)
        let peerApp = try NodeServer.peerApplication(node) { port in
            context.logger.notice("peer listener running", metadata: ["port": "\(port)"])
        }
        let maskingClient = node.makePeerClient()
        let screening = try ScreeningService(context: context, client: maskingClient)
        let internalApp = try InternalServer.application(node, screening: screening)
        // Services stop in reverse order: the audit log's flusher is first so that it closes the log last.
        let stop = AuditEvent(actor: AuditEvent.localActor, role: .local, action: "node.stop", outcome: .ok)
        var services: [any Service] = [AuditFlushService(log: context.audit, finalEvent: stop, logger: context.logger),
                                       peerApp, internalApp, CertificateExpiryWatch(node: node)]
        if !noSync { services.append(SyncLoop(node: node, screening: screening)) }
        if let coordinatorURL = CounterReporter.coordinatorURL(of: context) {
            services.append(CoordinatorReportLoop(node: node, coordinatorURL: coordinatorURL))
        }
        // Last, so it is the first to stop: an unacknowledged batch is sent again after the restart.
        services.append(WebhookDeliveryService(context: context))
        var configuration = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint],
                                                      logger: context.logger)
        // A listener still busy after this is cancelled, so the process always ends well inside 2 s.
        configuration.maximumGracefulShutdownDuration = .milliseconds(1500)
        let group = ServiceGroup(configuration: configuration)
        context.audit.append(AuditEvent(actor: AuditEvent.localActor, role: .local, action: "node.start", outcome: .ok))
        defer { context.logger.notice("stopped") }
        do {
            try await group.run()
        } catch {
            await maskingClient.shutdown()
            throw error
        }
        await maskingClient.shutdown()
    }
}
