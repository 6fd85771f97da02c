import Foundation
import Testing

@testable import ExchangeCoordinator

@Suite struct MonthlyReportTests {
    typealias F = ReportingFixtures

    @Test func everySectionIsPresentInBothFormats() throws {
        let report = try MonthlyReport.render(statistics: F.statistics, month: "2018-05", alliance: "Test alliance")
        let sections = ["1. Overall situation · 总体情况", "2. Results of joint punishment · 联合惩戒成效",
                        "3. Members · 各成员单位情况", "4. Appeals, revocations and credit repair · 异议申诉与信用修复",
                        "5. Problems and next steps · 存在的问题与下一步"]
        for section in sections {
            #expect(report.markdown.contains("## \(section)"))
            #expect(report.html.contains("<h2>\(section)</h2>"))
        }
        #expect(report.markdown.contains("2018年5月联合惩戒“炒信”工作月报"))
        #expect(report.markdown.contains("2018-06-14"))  // due: the working day before 15 June 2018
        #expect(MarkupBalance.problems(report.html) == [])
        #expect(!report.html.contains("<script"))
    }

    @Test func figuresEqualTheAggregates() throws {
        let statistics = F.statistics
        let may = try statistics.restricted(toMonth: "2018-05")
        let report = try MonthlyReport.render(statistics: statistics, month: "2018-05", alliance: "T")
        // Overall table: figure, Chinese, May, April, change.
        #expect(report.markdown.contains("| Accounts screened | 筛查账户 | 1,800 | 900 | +100.0% |"))
        #expect(report.markdown.contains("| Matches | 命中 | \(may.total.matches) | 2 | +900.0% |"))
        #expect(report.markdown.contains("| Entries published \\(month end\\) |") == false)
        #expect(report.markdown.contains("| Entries published (month end) | 在库共享名单（月末） | 78 | 40 |"))
        // Category table with the previous month.
        #expect(report.markdown.contains("| Fake reviews | 虚假评价 | 10 | 50.0% | 2 | +400.0% |"))
        // Measures.
        #expect(report.markdown.contains("| M5 | Deduct credit points gained by brushing | 扣除信用积分 | 9 |"))
        // Per-member rows: days, screened, matches, rate, distinct, hits on its entries, published, …
        #expect(report.markdown.contains("| alpha | 2 | 1,500 | 16 | 1.1% | 13 | 16 | 48 | 2 | 0 | 3 | 1 | 1 | 0 |"))
        #expect(report.markdown.contains("| beta | 1 | 300 | 4 | 1.3% | 4 | 4 | 30 | 0 | 1 | 0 | 0 | 0 | 2 |"))
        #expect(report.markdown.contains("| gamma | 0 | 0 | 0 | – | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |"))
        #expect(report.markdown.contains("| **All members · 合计** | **3** | **1,800** | **20** |"))
        // Revocations by reason.
        #expect(report.markdown.contains("| Listed in error | 错误列入 | 1 | 50.0% |"))
        #expect(report.html.contains("1,800"))
    }

    @Test func problemsComeFromTheData() throws {
        let findings = try MonthlyReport.findings(statistics: F.statistics, month: "2018-05")
        let kinds = findings.map(\.kind)
        #expect(kinds.contains(.memberSilent))       // gamma
        #expect(kinds.contains(.reportingGaps))      // beta missed 2018-05-02
        #expect(kinds.contains(.overdueAppeals))     // beta, 2
        #expect(kinds.contains(.erroneousListings))  // alpha, 1
        #expect(!kinds.contains(.categoryRising))    // fake reviews 2 → 10 is below the minimum rise
        #expect(findings.first { $0.kind == .memberSilent }?.problem.contains("gamma") == true)
        #expect(findings.first { $0.kind == .reportingGaps }?.problem.contains("beta (1 day(s): 2018-05-02)") == true)
        #expect(findings.first { $0.kind == .overdueAppeals }?.problem.contains("beta 2") == true)

        var rows = F.rows
        rows.append(F.row("alpha", "2018-05-02", "matches.category.brushing", 40))
        let rising = try MonthlyReport.findings(statistics: AllianceStatistics(rows: rows, roster: F.roster), month: "2018-05")
        #expect(rising.contains { $0.kind == .categoryRising && $0.problem.contains("Brushing") })
        #expect(rising.contains { $0.kind == .breakdownMismatch })  // 40 brushing > 6 matches that day

        let quiet = try MonthlyReport.render(statistics: AllianceStatistics(rows: [
            F.row("alpha", "2018-05-01", "screened", 5), F.row("alpha", "2018-05-01", "entries.published", 1),
        ]), month: "2018-05", alliance: "T")
        #expect(quiet.markdown.contains("The reported data show no problem this month."))
    }

    @Test func csvHasOneRowPerMemberAndMetricAndNeutralisesFormulas() throws {
        let rows = F.rows + [F.row("=HYPERLINK(\"x\")", "2018-05-01", "screened", 3), F.row("@sum", "2018-05-01", "matches", 0)]
        let report = try MonthlyReport.render(statistics: AllianceStatistics(rows: rows, roster: F.roster), month: "2018-05",
                                              alliance: "T")
        let lines = report.csv.components(separatedBy: "\r\n").filter { !$0.isEmpty }
        #expect(lines.first == "month,member,metric,value")
        #expect(lines.contains("2018-05,alpha,screened,1500"))
        #expect(lines.contains("2018-05,alpha,matches.category.fake-reviews,10"))
        #expect(lines.contains("2018-05,beta,appeals.overdue,2"))
        #expect(lines.contains("2018-05,gamma,screened,0"))
        #expect(lines.contains("2018-05,\"'=HYPERLINK(\"\"x\"\")\",screened,3"))
        #expect(lines.contains("2018-05,'@sum,days_reported,1"))
        #expect(!lines.contains { $0.contains("7777") })
        // Every (member, metric) pair at most once.
        let pairs = lines.dropFirst().map { $0.split(separator: ",").dropLast().joined(separator: ",") }
        #expect(Set(pairs).count == pairs.count)
        #expect(throws: ReportingError.invalidMonth) { try MonthlyReport.render(statistics: F.statistics, month: "", alliance: "T") }
    }

    @Test func markdownEscapesData() throws {
        let rows = [F.row("*bold* | [link](x) <b>", "2018-05-01", "screened", 5), F.row("1. list", "2018-05-01", "screened", 1)]
        let report = try MonthlyReport.render(statistics: AllianceStatistics(rows: rows, roster: []), month: "2018-05",
                                              alliance: "# Head")
        #expect(report.markdown.contains("| \\*bold\\* \\| \\[link\\](x) \\<b\\> |"))
        #expect(report.markdown.hasPrefix("# \\# Head"))
        #expect(!report.html.contains("<b>"))
    }
}

@Suite struct ReportingTextTests {
    @Test func csvCells() {
        #expect(CSVText.cell("plain") == "plain")
        #expect(CSVText.cell("=1+2") == "'=1+2")
        #expect(CSVText.cell("+1") == "'+1")
        #expect(CSVText.cell("-1") == "'-1")
        #expect(CSVText.cell("@cmd") == "'@cmd")
        #expect(CSVText.cell("a,b") == "\"a,b\"")
        #expect(CSVText.cell("say \"hi\"") == "\"say \"\"hi\"\"\"")
        #expect(CSVText.cell("=a,\"b\"") == "\"'=a,\"\"b\"\"\"")
        #expect(CSVText.cell("line\nbreak") == "\"line\nbreak\"")
        #expect(CSVText.document([["a", "b"], ["1", "2"]]) == "a,b\r\n1,2\r\n")
    }

    @Test func markdownEscaping() {
        #expect(ReportDocument.markdownEscape("a|b") == "a\\|b")
        #expect(ReportDocument.markdownEscape("- item") == "\\- item")
        #expect(ReportDocument.markdownEscape("12. x") == "12\\. x")
        #expect(ReportDocument.markdownEscape("0.37%", atLineStart: false) == "0.37%")
        #expect(ReportDocument.markdownEscape("a\nb") == "a b")
    }

    @Test func htmlEscaping() {
        #expect(HTMLText.escape("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        #expect(HTMLText.escape("a\u{0}b\u{1B}c") == "abc")
    }

    @Test func numbers() {
        #expect(NumberText.grouped(0) == "0")
        #expect(NumberText.grouped(1_234_567) == "1,234,567")
        #expect(NumberText.grouped(-1000) == "-1,000")
        #expect(NumberText.compact(1500) == "1.5k")
        #expect(NumberText.compact(25_000) == "25k")
        #expect(NumberText.compact(2_000_000) == "2M")
        #expect(NumberText.percent(1, of: 3) == "33.3%")
        #expect(NumberText.percent(37, of: 10_000) == "0.37%")
        #expect(NumberText.percent(999, of: 100_000) == "1.0%" || NumberText.percent(999, of: 100_000) == "0.99%")
        #expect(NumberText.percent(0, of: 5) == "0%")
        #expect(NumberText.percent(1, of: 0) == "–")
        #expect(NumberText.change(from: 100, to: 150) == "+50.0%")
        #expect(NumberText.change(from: 100, to: 50) == "-50.0%")
        #expect(NumberText.change(from: 0, to: 5) == "new")
    }

    @Test func axisScale() {
        #expect(AxisScale(maximum: 1234).ticks == [0, 500, 1000, 1500])
        #expect(AxisScale(maximum: 7).ticks == [0, 2, 4, 6, 8])
        #expect(AxisScale(maximum: 0).top == 1)
        #expect(AxisScale(maximum: 100).top == 100)
    }

    @Test func reportDueDaySkipsWeekends() throws {
        let may = try #require(CalendarMonth(parsing: "2018-05"))
        #expect(may.reportDueDay.description == "2018-06-14")  // Thursday
        let september = try #require(CalendarMonth(parsing: "2018-09"))
        #expect(september.reportDueDay.description == "2018-10-12")  // 14 Oct 2018 was a Sunday
        let december = try #require(CalendarMonth(parsing: "2018-12"))
        #expect(december.reportDueDay.description == "2019-01-14")
        #expect(december.next.description == "2019-01")
        #expect(CalendarMonth(parsing: "2018-02")?.dayCount == 28)
        #expect(CalendarMonth(parsing: "2020-02")?.dayCount == 29)
        #expect(CalendarMonth(parsing: "2018-00") == nil)
    }
}
