import ArgumentParser
import ExchangeAudit
import ExchangeCoordinator
import ServiceLifecycle

/// `exchange-node coordinator serve --home HOME`: the coordinator daemon.
struct CoordinatorServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the coordinator's mTLS listener (membership, revocations, token keys, reports, dashboard).",
        discussion: """
            Stops gracefully on SIGTERM or SIGINT, within 2 s, with exit status 0; the audit log is flushed and \
            closed last. Logs to standard error and HOME/logs/coordinator.log. With internal_listen in \
            coordinator.json, also serves /v1/health, /v1/ready and /metrics there (plain HTTP, no credential).
            """
    )

    @OptionGroup var options: CoordinatorHomeOption
    @OptionGroup var logging: LogFormatOption

    func run() async throws {
        logging.apply()
        let context = try CoordinatorContext(home: options.coordinatorHome)
        let app = try CoordinatorServer.application(context) { port in
            context.logger.notice("coordinator listening", metadata: ["port": "\(port)"])
        }
        // Services stop in reverse order: the audit log's flusher is first so that it closes the log last.
        let stop = AuditEvent(actor: AuditEvent.localActor, role: .local, action: "coordinator.stop", outcome: .ok)
        var services: [any Service] = [AuditFlushService(log: context.audit, finalEvent: stop, logger: context.logger), app]
        if let internalListen = context.config.internalListen {
            services.append(try CoordinatorInternalServer.application(context, listen: internalListen))
        }
        services.append(RevocationRefreshLoop(coordinator: context))
        var configuration = ServiceGroupConfiguration(services: services, gracefulShutdownSignals: [.sigterm, .sigint],
                                                      logger: context.logger)
        // A listener still busy after this is cancelled, so the process always ends well inside 2 s.
        configuration.maximumGracefulShutdownDuration = .milliseconds(1500)
        context.audit.append(AuditEvent(actor: AuditEvent.localActor, role: .local, action: "coordinator.start", outcome: .ok))
        defer { context.logger.notice("stopped") }
        try await ServiceGroup(configuration: configuration).run()
    }
}
