import ArgumentParser
import ExchangeCoordinator

/// `exchange-node coordinator`: the alliance coordinator, run by the credit-system office or the
/// alliance secretariat with its own home. It receives counts, never identifiers or tokens.
struct CoordinatorCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "coordinator",
        abstract: "Run the alliance coordinator: membership, revocations, token keys, statistics, dashboard, monthly report.",
        discussion: """
            The coordinator has its own home (never a node's): coordinator.json, members.json, reports.sqlite,
            keys/ (its certificate with role coordinator, the CA certificate, the token keys by epoch), audit/, logs/.

            Nodes call it over mTLS: GET /v1/membership, /v1/revocations, /v1/token-key?epoch=N (nodes only),
            POST /v1/reports (signed daily counters). Operators (certificates issued with --role operator and
            registered with `coordinator member add --role operator`) read GET /dashboard?month=YYYY-MM and
            /v1/statistics?month=YYYY-MM. See docs/coordinator.md.
            """,
        subcommands: [
            CoordinatorInitCommand.self,
            CoordinatorMemberCommand.self,
            CoordinatorTokenKeyCommand.self,
            CoordinatorServeCommand.self,
            CoordinatorReportCommand.self,
            CoordinatorDashboardCommand.self,
            CoordinatorStatusCommand.self,
        ]
    )
}
