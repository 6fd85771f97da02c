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
