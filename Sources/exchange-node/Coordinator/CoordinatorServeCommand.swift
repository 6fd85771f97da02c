import ArgumentParser
import ExchangeAudit
import ExchangeCoordinator
import ServiceLifecycle

/// `exchange-node coordinator serve --home HOME`: the coordinator daemon.
struct CoordinatorServeCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "serve",
        abstract: "Run the coordinator's mTLS listener (membership, revocations, token keys, reports, dashboard).",
        discussion: "Stops gracefully on SIGTERM or SIGINT. Logs to standard error and HOME/logs/coordinator.log."
    )

    @OptionGroup var options: CoordinatorHomeOption

    func run() async throws {
        let context = try CoordinatorContext(home: options.coordinatorHome)
        let app = try CoordinatorServer.application(context) { port in
            context.logger.notice("coordinator listening", metadata: ["port": "\(port)"])
        }
        let group = ServiceGroup(configuration: .init(services: [app, RevocationRefreshLoop(coordinator: context)],
                                                      gracefulShutdownSignals: [.sigterm, .sigint], logger: context.logger))
        context.audit.append(AuditEvent(actor: AuditEvent.localActor, role: .local, action: "coordinator.start", outcome: .ok))
        try await group.run()
        try? context.audit.flush()
    }
}
