import AllianceTestSupport
import CoordinatorTestSupport
import ExchangeProtocol
import Foundation
import Testing

@testable import AlliancePKI
@testable import ExchangeCoordinator
@testable import ExchangeNode
@testable import exchange_node

/// `coordinator report` and `coordinator dashboard` from stored reports; and the dashboard in a real browser.
@Suite("Coordinator monthly report")
struct CoordinatorReportCommandTests {
    /// What the members reported (accepted through the same intake as `POST /v1/reports`).
    static let inputs: [(member: String, day: String, counters: [String: Int])] = [
        ("alpha", "2026-08-01", ["screened": 100, "matches": 7, "matches.origin.beta": 4, "matches.origin.alpha": 3,
                                 "matches.category.brushing": 7, "matches.list.black": 7, "distinct_entries": 5]),
        ("alpha", "2026-08-02", ["screened": 50, "matches": 2, "matches.origin.beta": 2, "matches.category.counterfeiting": 2,
                                 "revocations": 1, "revocations.reason.erroneous": 1]),
        ("beta", "2026-08-02", ["screened": 80, "matches": 5, "matches.origin.alpha": 5, "matches.category.brushing": 5,
                                "retractions": 2]),
        ("beta", "2026-09-01", ["screened": 999, "matches": 99, "matches.origin.alpha": 99]),
    ]

    static func store(_ alliance: TestAlliance) throws {
        for input in inputs {
            let report = try alliance.signedReport(member: input.member, day: input.day, counters: input.counters)
            let key = try KeyFile.readPrivateKey(path: alliance.ca.memberKeyPath(try MemberID(input.member))).publicKey
            let caller = CoordinatorCaller(member: input.member, role: .node, serialHex: "01", publicKey: key)
            _ = try ReportIntake(coordinator: alliance.coordinator).receive(body: try report.jsonBytes(), from: caller,
                                                                        today: Day(parsing: "2026-11-23")!)
        }
    }

    @Test("report writes Markdown, HTML and CSV whose totals equal the month's inputs")
    func reportTotals() async throws {
        let alliance = try TestAlliance.withCoordinator()
        try Self.store(alliance)
        let out = alliance.root.appendingPathComponent("out")
        let command = try CoordinatorReportCommand.parse(["--home", alliance.coordinatorHome.path, "--month", "2026-08", "--out", out.path])
        try await command.run()
        for ext in ["md", "html", "csv"] {
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("report-2026-08.\(ext)").path))
        }
        let csv = try String(contentsOf: out.appendingPathComponent("report-2026-08.csv"), encoding: .utf8)
        var sums: [String: Int] = [:]
        for line in csv.split(whereSeparator: \.isNewline).dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            #expect(fields.count == 4)
            #expect(fields[0] == "2026-08")
            sums[fields[2], default: 0] += Int(fields[3]) ?? 0
        }
        let august = Self.inputs.filter { $0.day.hasPrefix("2026-08") }
        for key in ["screened", "matches", "revocations", "retractions", "matches.origin.alpha", "matches.origin.beta"] {
            #expect(sums[key] == august.reduce(0) { $0 + ($1.counters[key] ?? 0) }, "\(key)")
        }
        #expect(sums["matches"] == 14)
        #expect(sums["days_reported"] == 3)
        let markdown = try String(contentsOf: out.appendingPathComponent("report-2026-08.md"), encoding: .utf8)
        #expect(markdown.contains("August 2026"))
        #expect(!markdown.contains("999"))  // September is not in August's report
        let html = try String(contentsOf: out.appendingPathComponent("report-2026-08.html"), encoding: .utf8)
        #expect(html.contains("<table"))

        let invalid = try CoordinatorReportCommand.parse(["--home", alliance.coordinatorHome.path, "--month", "2026-8"])
        await #expect(throws: CoordinatorError.invalidArgument("--month: month must be a calendar month written YYYY-MM")) {
            try await invalid.run()
        }
        await alliance.stopCoordinator()
        alliance.shutdown()
    }

    static let chromium = ["/usr/bin/chromium", "/usr/bin/chromium-browser"].first { FileManager.default.isExecutableFile(atPath: $0) }

    @Test("the dashboard an operator fetches over mTLS renders in headless Chromium without console errors",
          .enabled(if: chromium != nil, "needs Chromium (Debian package chromium)"))
    func dashboardScreenshot() async throws {
        let alliance = try TestAlliance.withCoordinator()
        try Self.store(alliance)
        try await alliance.startCoordinator()
        let reply = try await alliance.call("ops", .GET, "/dashboard")
        #expect(reply.status == 200)
        let page = alliance.root.appendingPathComponent("dashboard.html")
        try Data(reply.body.utf8).write(to: page)
        let png = alliance.root.appendingPathComponent("dashboard.png")
        let script = TestPaths.packageRoot.appendingPathComponent("scripts/dashboard-screenshot.sh")
        let shot = try await alliance.tool(URL(fileURLWithPath: "/bin/bash"), [script.path, page.path, png.path], label: "screenshot",
                                           timeout: .seconds(120))
        #expect(shot.succeeded, "\(shot)")
        let bytes = try Data(contentsOf: png)
        #expect(bytes.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]))
        #expect(bytes.count > 20_000)
        await alliance.stopCoordinator()
        alliance.shutdown()
    }
}
