import ArgumentParser
import ExchangeAudit
import ExchangeCoordinator
import ExchangeRuntime
import Foundation

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
