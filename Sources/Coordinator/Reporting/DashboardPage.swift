import ExchangeProtocol
import Foundation

/// The coordinator's dashboard: one self-contained HTML5 page (inline CSS and SVG, no script, no
/// external resource) with headline figures, matches over time by category, matches by member,
/// revocations by reason, top categories, measures applied and a per-member table.
public enum DashboardPage {
    /// Renders the dashboard for one month (`YYYY-MM`) or, with `month` nil, for everything in `statistics`.
    /// Throws `ReportingError.invalidMonth` when `month` is not a real `YYYY-MM` month.
    public static func render(statistics: AllianceStatistics, alliance: String, generatedAt: Date,
                              month: String?) throws(ReportingError) -> String {
        var period: CalendarMonth?
        if let month {
            guard let parsed = CalendarMonth(parsing: month) else { throw .invalidMonth }
            period = parsed
        }
        let scoped = period.map { statistics.restricted(to: $0.firstDay...$0.lastDay) } ?? statistics
        let previous = period.map { statistics.restricted(to: $0.previous.firstDay...$0.previous.lastDay) }
        let total = scoped.total

        var html = "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
        html += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
        html += ReportStyle.contentSecurityPolicy
        html += "<title>\(HTMLText.escape(alliance)) · Dashboard · \(HTMLText.escape(periodName(period, scoped)))</title>"
        html += "<style>\(ReportStyle.css)</style></head><body>"

        // Header.
        html += "<header class=\"top\"><p class=\"eyebrow\">Anti-credit-speculation alliance · 反炒信联盟</p>"
        html += "<h1>\(HTMLText.escape(alliance)) <span class=\"cn\">联合惩戒数据看板 · Joint-punishment dashboard</span></h1>"
        html += "<div class=\"meta\"><span class=\"pill\">Period 统计期: \(HTMLText.escape(periodName(period, scoped)))</span>"
        html += "<span class=\"pill\">Members reporting 报送成员: \(total.membersReporting) / \(scoped.members.count)</span>"
        html += "<span class=\"pill\">Generated 生成时间: \(HTMLText.escape(ISO8601.minuteUTC(millis: Int64(generatedAt.timeIntervalSince1970 * 1000))))</span>"
        html += "<span class=\"pill\">Counts only · 仅统计数字</span></div></header><main>"

        html += headline(scoped, previous: previous?.total, previousName: period?.previous.english)
        html += dataQualityNotice(scoped)

        html += card(title: "Matches over time by category", chinese: "命中趋势（按类别）",
                     caption: "Accounts matched against alliance entries, stacked by the entry's category. Hover a bar segment for its count.",
                     body: ReportCharts.matchesTimeline(scoped, month: period))
        html += "<div class=\"grid\">"
        html += card(title: "Matches by reporting member", chinese: "各成员命中",
                     caption: "Matches each member's screening found, and its share of all matches.",
                     body: ReportCharts.matchesByMember(scoped))
        html += card(title: "Top categories", chinese: "主要类别",
                     caption: "Categories of the matched entries, with their share of all matches.",
                     body: ReportCharts.topCategories(total))
        html += "</div><div class=\"grid\">"
        html += card(title: "Revocations by reason", chinese: "撤销原因",
                     caption: "Entries members revoked from their own lists, and why; appeals against listings.",
                     body: ReportCharts.revocationsByReason(total) + appealFigures(total))
        html += card(title: "Matches by list and severity", chinese: "按名单与严重程度",
                     caption: "Red-list matches carry incentives, not measures.",
                     body: ReportCharts.listAndSeveritySplit(total))
        html += "</div>"
        html += card(title: "Joint-punishment measures applied", chinese: "联合惩戒措施",
                     caption: "Matches by measure applied to the matched account (one match may carry several measures).",
                     body: ReportCharts.measuresApplied(total))
        html += card(title: "Members", chinese: "各成员单位情况",
                     caption: "“Hits on its entries” counts matches other members found against this member's published entries.",
                     body: MemberTable.render(scoped, daysInPeriod: period?.dayCount))
        html += "</main><footer>Figures are counts reported by member nodes; no identifier or token reaches the coordinator. "
        html += "“Distinct entries” adds each member's daily count, so an entry matched on several days or by several members "
        html += "counts more than once. Entries published and overdue appeals are end-of-period figures. "
        html += "数据均为成员节点报送的统计数字，不含任何主体标识。</footer></body></html>\n"
        return html
    }

    static func periodName(_ period: CalendarMonth?, _ statistics: AllianceStatistics) -> String {
        if let period { return "\(period.english) · \(period.chinese) (\(period.firstDay) – \(period.lastDay))" }
        guard let first = statistics.days.first, let last = statistics.days.last else { return "no data · 无数据" }
        return "all reported days · 全部 (\(first) – \(last))"
    }

    private static func headline(_ statistics: AllianceStatistics, previous: CounterSummary?, previousName: String?) -> String {
        let total = statistics.total
        func delta(_ current: Int, _ before: Int?) -> String {
            guard let before, let previousName else { return "" }
            let change = NumberText.change(from: before, to: current)
            let direction = current > before ? "up" : current < before ? "down" : "flat"
            let arrow = current > before ? "▲" : current < before ? "▼" : "="
            return "<span class=\"delta \(direction)\">\(arrow) \(change)</span>vs \(HTMLText.escape(previousName))"
        }
        let topReason = total.revocationsByReason.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }
        let overdue = total.appealsOverdue > 0
            ? "<b class=\"alert\">\(NumberText.grouped(total.appealsOverdue)) overdue</b>" : "none overdue"
        let cards: [(String, String, Int, (delta: String, note: String), String)] = [
            ("Accounts screened", "筛查账户", total.screened,
             (delta(total.screened, previous?.screened), "\(NumberText.grouped(total.memberDaysReported)) member-days reported"),
             "#4E79A7"),
            ("Matches", "命中", total.matches,
             (delta(total.matches, previous?.matches), "\(NumberText.percent(total.matches, of: total.screened)) of accounts screened"),
             "#E15759"),
            ("Distinct entries", "命中名单条目", total.distinctEntries,
             (delta(total.distinctEntries, previous?.distinctEntries), "summed per member and day"), "#F28E2B"),
            ("Revocations", "撤销", total.revocations,
             (delta(total.revocations, previous?.revocations),
              topReason.map { "most often " + HTMLText.escape(VocabularyLabels.revocationReason($0.key).english.lowercased()) } ?? "none"),
             "#59A14F"),
            ("Retractions", "撤回", total.retractions,
             (delta(total.retractions, previous?.retractions),
              "matches withdrawn after revocations"), "#B07AA1"),
            ("Appeals filed", "异议申诉", total.appealsFiled,
             (delta(total.appealsFiled, previous?.appealsFiled),
              "\(total.appealsUpheld) upheld · \(total.appealsRejected) rejected · " + overdue),
             "#76B7B2"),
        ]
        var html = "<section class=\"kpis\">"
        for (english, chinese, value, sub, colour) in cards {
            html += "<div class=\"kpi\" style=\"--kpi:\(colour)\"><div class=\"label\">\(english)<span class=\"cn\">\(chinese)</span></div>"
            html += "<div class=\"value\">\(NumberText.grouped(value))</div><div class=\"sub\">\(sub.delta)</div>"
            html += "<div class=\"note\">\(sub.note)</div></div>"
        }
        return html + "</section>"
    }

    private static func appealFigures(_ total: CounterSummary) -> String {
        let figures: [(String, Int)] = [
            ("Appeals filed 申诉", total.appealsFiled), ("Upheld 成立", total.appealsUpheld),
            ("Rejected 驳回", total.appealsRejected), ("Overdue 逾期", total.appealsOverdue),
        ]
        return "<div class=\"figures\">" + figures.map {
            "<div class=\"figure\"><div class=\"n\">\(NumberText.grouped($0.1))</div><div class=\"l\">\($0.0)</div></div>"
        }.joined() + "</div>"
    }

    private static func dataQualityNotice(_ statistics: AllianceStatistics) -> String {
        var lines: [String] = []
        let ignored = statistics.ignoredRows.values.reduce(0, +)
        if ignored > 0 {
            let reasons = statistics.ignoredRows.sorted { $0.key.rawValue < $1.key.rawValue }
                .map { "\($0.value) \($0.key.rawValue)" }.joined(separator: ", ")
            lines.append("\(NumberText.grouped(ignored)) reported rows were ignored (\(reasons)).")
        }
        let mismatches = statistics.breakdownMismatches()
        for mismatch in mismatches.prefix(5) {
            lines.append("\(HTMLText.escape(mismatch.member)): \(mismatch.breakdown).* adds up to "
                         + "\(NumberText.grouped(mismatch.found)), not \(NumberText.grouped(mismatch.expected)).")
        }
        if mismatches.count > 5 { lines.append("… and \(mismatches.count - 5) more breakdowns that do not add up.") }
        guard !lines.isEmpty else { return "" }
        return "<div class=\"notice\"><b>Data quality · 数据质量</b><ul>"
            + lines.map { "<li>\($0)</li>" }.joined() + "</ul></div>"
    }

    static func card(title: String, chinese: String, caption: String, body: String) -> String {
        "<section class=\"card\"><h2>\(HTMLText.escape(title))<span class=\"cn\">\(HTMLText.escape(chinese))</span></h2>"
            + "<p class=\"caption\">\(HTMLText.escape(caption))</p>\(body)</section>"
    }
}
