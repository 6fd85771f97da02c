import Foundation
import Testing

@testable import ExchangeCoordinator

@Suite struct DashboardPageTests {
    typealias F = ReportingFixtures
    static let generated = Date(timeIntervalSince1970: 1_528_012_800)  // 2018-06-03 08:00 UTC

    @Test func pageIsCompleteBalancedAndSelfContained() throws {
        let html = try DashboardPage.render(statistics: F.statistics, alliance: "Test alliance",
                                            generatedAt: Self.generated, month: "2018-05")
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.hasSuffix("</html>\n"))
        #expect(MarkupBalance.problems(html) == [])
        #expect(MarkupBalance.count("<svg", in: html) == MarkupBalance.count("</svg>", in: html))
        #expect(MarkupBalance.count("<svg", in: html) >= 4)
        #expect(!html.contains("<script"))
        #expect(!html.contains("src=") && !html.contains("href=") && !html.contains("@import") && !html.contains("url("))
        #expect(html.contains("Content-Security-Policy"))
        #expect(html.contains("2018-06-03 08:00 UTC"))
    }

    @Test func dataIsEscaped() throws {
        let hostile = "<script>alert('x')</script>"
        let rows = F.rows + [
            F.row(hostile, "2018-05-01", "screened", 5), F.row(hostile, "2018-05-01", "matches", 1),
            F.row(hostile, "2018-05-01", "matches.category.brushing", 1),
            F.row(hostile, "2018-05-01", "matches.origin.\"><img onerror=x>", 1),
        ]
        let html = try DashboardPage.render(statistics: AllianceStatistics(rows: rows, roster: F.roster),
                                            alliance: "A & B <em>", generatedAt: Self.generated, month: "2018-05")
        #expect(!html.contains("<script"))
        #expect(!html.contains("<img"))
        #expect(!html.contains("<em>"))
        #expect(html.contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"))
        #expect(html.contains("A &amp; B &lt;em&gt;"))
        #expect(MarkupBalance.problems(html) == [])
    }

    @Test func monthSelectsThePeriodsFigures() throws {
        let may = try DashboardPage.render(statistics: F.statistics, alliance: "T", generatedAt: Self.generated, month: "2018-05")
        #expect(may.contains(">1,800<"))   // accounts screened in May
        #expect(may.contains(">20<"))      // matches in May
        #expect(!may.contains("7,777"))    // June is outside
        #expect(may.contains("May 2018"))
        let all = try DashboardPage.render(statistics: F.statistics, alliance: "T", generatedAt: Self.generated, month: nil)
        #expect(all.contains(NumberText.grouped(F.statistics.total.screened)))
        #expect(throws: ReportingError.invalidMonth) {
            try DashboardPage.render(statistics: F.statistics, alliance: "T", generatedAt: Self.generated, month: "2018-5")
        }
    }

    @Test func emptyStatisticsRenderEmptyStates() throws {
        let html = try DashboardPage.render(statistics: AllianceStatistics(rows: [], roster: ["alpha"]), alliance: "T",
                                            generatedAt: Self.generated, month: nil)
        #expect(MarkupBalance.problems(html) == [])
        #expect(html.contains("No matches reported in this period"))
        #expect(html.contains("no reports"))
    }

    @Test func markupCheckerCatchesBrokenMarkup() {
        #expect(!MarkupBalance.problems("<div><svg></div>").isEmpty)
        #expect(!MarkupBalance.problems("<p>1 < 2</p>").isEmpty)
        #expect(MarkupBalance.problems("<p>a<br>b<rect x=\"1\"/></p>").isEmpty)
    }
}
