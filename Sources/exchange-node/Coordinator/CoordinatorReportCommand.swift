import ArgumentParser
import ExchangeAudit
import ExchangeCoordinator
import ExchangeRuntime
import Foundation

/// `exchange-node coordinator report --home HOME --month YYYY-MM`: the monthly report.
struct CoordinatorReportCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Write the month's report (Markdown, HTML, CSV) from the counters the members reported.",
        discussion: "Writes report-YYYY-MM.md, .html and .csv into --out (default HOME/reports) and prints the totals."
    )

    @OptionGroup var options: CoordinatorHomeOption

    @Option(name: .long, help: "The month, YYYY-MM.")
    var month: String

    @Option(name: .long, help: "Output folder (default HOME/reports).")
    var out: String?

    func run() async throws {
        let context = try CoordinatorContext(home: options.coordinatorHome, echoLog: false)
        let directory = out.map { URL(fileURLWithPath: $0) } ?? context.home.reportsDirectory
        let written = try MonthlyReportWriter.write(statistics: try context.statistics(), month: month,
                                                    alliance: context.config.alliance, into: directory)
        let statistics = written.statistics
        let total = statistics.total
        context.audit.append(AuditEvent(actor: AuditEvent.localActor, role: .operator, action: "report.write", outcome: .ok,
                                        detail: ["month": .code(month), "memberDays": .count(total.memberDaysReported)]))
        try? context.audit.flush()
        print("\(month): \(total.membersReporting) of \(statistics.members.count) members reported on \(total.memberDaysReported) member-days")
        print("  screened \(total.screened), matches \(total.matches), distinct entries \(total.distinctEntries), "
              + "revocations \(total.revocations), retractions \(total.retractions)")
        for member in statistics.members {
            let summary = statistics.summary(member: member)
            print("  \(member): screened \(summary.screened), matches \(summary.matches), revocations \(summary.revocations), "
                  + "retractions \(summary.retractions), hits on its entries \(statistics.hitsOnEntries(of: member))")
        }
        let problems = statistics.totalsCheck()
        print(problems.isEmpty ? "  totals check: per-member, per-day and per-month sums equal the totals" : "  totals check FAILED:")
        for problem in problems { print("    \(problem)") }
        print("wrote")
        for file in [written.markdown, written.html, written.csv] { print("  \(file.path)") }
        if !problems.isEmpty { throw ExitCode(1) }
    }
}

/// `exchange-node coordinator dashboard --home HOME --out FILE`: the dashboard page, offline.
struct CoordinatorDashboardCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dashboard",
        abstract: "Write the dashboard page (the same HTML GET /dashboard serves) to a file.",
        discussion: "Screenshot it with scripts/dashboard-screenshot.sh FILE OUT.png."
    )

    @OptionGroup var options: CoordinatorHomeOption

    @Option(name: .long, help: "The month, YYYY-MM (default: everything reported).")
    var month: String?

    @Option(name: .long, help: "The HTML file to write.")
    var out: String

    func run() async throws {
        let context = try CoordinatorContext(home: options.coordinatorHome, echoLog: false)
        let html = try DashboardPage.render(statistics: try context.statistics(), alliance: context.config.alliance,
                                            generatedAt: Date(), month: month)
        try SecureFile.writeAtomically(Data(html.utf8), to: URL(fileURLWithPath: out), mode: 0o644)
        print("wrote \(out) (\(html.utf8.count) bytes)")
    }
}

/// `exchange-node coordinator status --home HOME`.
struct CoordinatorStatusCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "status",
        abstract: "Show the registry, the token-key epochs, the revocation list and the reports received."
    )

    @OptionGroup var options: CoordinatorHomeOption

    func run() async throws {
        let context = try CoordinatorContext(home: options.coordinatorHome, echoLog: false)
        let registry = try context.registry()
        let ring = try context.tokenKeys()
        let reports = try context.store.reports()
        print("coordinator \(context.member) of \(context.config.alliance), listening on \(context.config.listen)")
        print("  members      \(registry.nodes.count) node(s), \(registry.members.count - registry.nodes.count) operator(s)")
        print("  token key    epoch \(ring.current.map { "\($0.epoch) (fingerprint \($0.fingerprint))" } ?? "none"), \(ring.keys.count) epoch(s) held")
        print("  revocations  \(context.revocations.current.map { "\($0.serials.count) revoked, issued \($0.issued)" } ?? "no list")")
        print("  reports      \(reports.count) member-day(s)")
        for member in registry.nodes {
            let days = reports.filter { $0.member == member.member }
            print("    \(member.member): \(days.count) day(s)\(days.last.map { ", last \($0.day)" } ?? "")")
        }
    }
}
