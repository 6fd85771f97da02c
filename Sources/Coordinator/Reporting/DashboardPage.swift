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

        let generated = ISO8601.minuteUTC(millis: Int64(generatedAt.timeIntervalSince1970 * 1000))
        let page = DashboardModel(
            csp: ReportStyle.contentSecurityPolicy, css: ReportStyle.css, alliance: alliance, period: periodName(period, scoped),
            membersReporting: total.membersReporting, memberCount: scoped.members.count, generated: generated,
            kpis: headline(scoped, previous: previous?.total, previousName: period?.previous.english),
            notice: dataQualityNotice(scoped),
            rows: [
                .init(cards: [card(title: "Matches over time by category", chinese: "命中趋势（按类别）",
                                   caption: "Accounts matched against alliance entries, stacked by the entry's category. Hover a bar segment for its count.",
                                   body: ReportCharts.matchesTimeline(scoped, month: period))]),
                .init(grid: true, cards: [
                    card(title: "Matches by reporting member", chinese: "各成员命中",
                         caption: "Matches each member's screening found, and its share of all matches.",
                         body: ReportCharts.matchesByMember(scoped)),
                    card(title: "Top categories", chinese: "主要类别",
                         caption: "Categories of the matched entries, with their share of all matches.",
                         body: ReportCharts.topCategories(total)),
                ]),
                .init(grid: true, cards: [
                    card(title: "Revocations by reason", chinese: "撤销原因",
                         caption: "Entries members revoked from their own lists, and why; appeals against listings.",
                         body: ReportCharts.revocationsByReason(total), figures: appealFigures(total)),
                    card(title: "Matches by list and severity", chinese: "按名单与严重程度",
                         caption: "Red-list matches carry incentives, not measures.",
                         body: ReportCharts.listAndSeveritySplit(total)),
                ]),
                .init(cards: [
                    card(title: "Joint-punishment measures applied", chinese: "联合惩戒措施",
                         caption: "Matches by measure applied to the matched account (one match may carry several measures).",
                         body: ReportCharts.measuresApplied(total)),
                    card(title: "Members", chinese: "各成员单位情况",
                         caption: "“Hits on its entries” counts matches other members found against this member's published entries.",
                         table: MemberTable.model(scoped, daysInPeriod: period?.dayCount)),
                ]),
            ])
        return ReportTemplates.render(page, template: "dashboard")
    }

    static func periodName(_ period: CalendarMonth?, _ statistics: AllianceStatistics) -> String {
        if let period { return "\(period.english) · \(period.chinese) (\(period.firstDay) – \(period.lastDay))" }
        guard let first = statistics.days.first, let last = statistics.days.last else { return "no data · 无数据" }
        return "all reported days · 全部 (\(first) – \(last))"
    }

    private static func headline(_ statistics: AllianceStatistics, previous: CounterSummary?,
                                 previousName: String?) -> [DashboardModel.KPI] {
        let total = statistics.total
        func delta(_ current: Int, _ before: Int?) -> DashboardModel.Delta? {
            guard let before, let previousName else { return nil }
            return DashboardModel.Delta(direction: current > before ? "up" : current < before ? "down" : "flat",
                                        arrow: current > before ? "▲" : current < before ? "▼" : "=",
                                        change: NumberText.change(from: before, to: current), previousName: previousName)
        }
        let topReason = total.revocationsByReason.max { $0.value != $1.value ? $0.value < $1.value : $0.key > $1.key }
        let appeals = "\(total.appealsUpheld) upheld · \(total.appealsRejected) rejected · "
        return [
            .init(english: "Accounts screened", chinese: "筛查账户", value: total.screened, delta: delta(total.screened, previous?.screened),
                  note: "\(NumberText.grouped(total.memberDaysReported)) member-days reported", colour: "#4E79A7"),
            .init(english: "Matches", chinese: "命中", value: total.matches, delta: delta(total.matches, previous?.matches),
                  note: "\(NumberText.percent(total.matches, of: total.screened)) of accounts screened", colour: "#E15759"),
            .init(english: "Distinct entries", chinese: "命中名单条目", value: total.distinctEntries,
                  delta: delta(total.distinctEntries, previous?.distinctEntries), note: "summed per member and day", colour: "#F28E2B"),
            .init(english: "Revocations", chinese: "撤销", value: total.revocations, delta: delta(total.revocations, previous?.revocations),
                  note: topReason.map { "most often " + VocabularyLabels.revocationReason($0.key).english.lowercased() } ?? "none",
                  colour: "#59A14F"),
            .init(english: "Retractions", chinese: "撤回", value: total.retractions, delta: delta(total.retractions, previous?.retractions),
                  note: "matches withdrawn after revocations", colour: "#B07AA1"),
            .init(english: "Appeals filed", chinese: "异议申诉", value: total.appealsFiled, delta: delta(total.appealsFiled, previous?.appealsFiled),
                  note: appeals + (total.appealsOverdue > 0 ? "" : "none overdue"),
                  alert: total.appealsOverdue > 0 ? "\(NumberText.grouped(total.appealsOverdue)) overdue" : nil, colour: "#76B7B2"),
        ]
    }

    private static func appealFigures(_ total: CounterSummary) -> DashboardModel.Figures {
        DashboardModel.Figures(items: [
            .init(label: "Appeals filed 申诉", value: total.appealsFiled), .init(label: "Upheld 成立", value: total.appealsUpheld),
            .init(label: "Rejected 驳回", value: total.appealsRejected), .init(label: "Overdue 逾期", value: total.appealsOverdue),
        ])
    }

    private static func dataQualityNotice(_ statistics: AllianceStatistics) -> DashboardModel.Notice? {
        var lines: [String] = []
        let ignored = statistics.ignoredRows.values.reduce(0, +)
        if ignored > 0 {
            let reasons = statistics.ignoredRows.sorted { $0.key.rawValue < $1.key.rawValue }
                .map { "\($0.value) \($0.key.rawValue)" }.joined(separator: ", ")
            lines.append("\(NumberText.grouped(ignored)) reported rows were ignored (\(reasons)).")
        }
        let mismatches = statistics.breakdownMismatches()
        for mismatch in mismatches.prefix(5) {
            lines.append("\(mismatch.member): \(mismatch.breakdown).* adds up to "
                         + "\(NumberText.grouped(mismatch.found)), not \(NumberText.grouped(mismatch.expected)).")
        }
        if mismatches.count > 5 { lines.append("… and \(mismatches.count - 5) more breakdowns that do not add up.") }
        return lines.isEmpty ? nil : DashboardModel.Notice(lines: lines)
    }

    static func card(title: String, chinese: String, caption: String, body: String = "", figures: DashboardModel.Figures? = nil,
                     table: MemberTable.Model? = nil) -> DashboardModel.Card {
        DashboardModel.Card(title: title, chinese: chinese, caption: caption, body: body, figures: figures, table: table)
    }
}
