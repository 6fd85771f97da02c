import ExchangeProtocol

/// The monthly report the seeds ask for (002 §六: the period's overall situation, results, experience and
/// problems, by the working day before the 15th; 000 §三(五): statistics of joint-punishment results),
/// rendered as Markdown, a self-contained HTML page and a CSV of every member's figures.
///
/// Sections: 1 overall situation (总体情况), 2 results of joint punishment (联合惩戒成效), 3 members
/// (各成员单位情况), 4 appeals, revocations and credit repair (异议申诉与信用修复), 5 problems and next
/// steps (存在的问题与下一步), the last derived from the data by `findings(statistics:month:)`.
public enum MonthlyReport {
    /// Renders the report for `month` (`YYYY-MM`). Throws `ReportingError.invalidMonth` for anything else.
    public static func render(statistics: AllianceStatistics, month: String,
                              alliance: String) throws(ReportingError) -> (markdown: String, html: String, csv: String) {
        guard let period = CalendarMonth(parsing: month) else { throw .invalidMonth }
        let current = statistics.restricted(to: period.firstDay...period.lastDay)
        let previous = statistics.restricted(to: period.previous.firstDay...period.previous.lastDay)
        let document = document(alliance: alliance, period: period, current: current, previous: previous)
        return (document.markdown(), document.html(), csv(current, period: period))
    }

    /// The problems and next steps of section 5 on their own, for tooling.
    public static func findings(statistics: AllianceStatistics, month: String) throws(ReportingError) -> [ReportFinding] {
        guard let period = CalendarMonth(parsing: month) else { throw .invalidMonth }
        return MonthlyFindings.findings(month: period,
                                        current: statistics.restricted(to: period.firstDay...period.lastDay),
                                        previous: statistics.restricted(to: period.previous.firstDay...period.previous.lastDay))
    }

    /// Core metrics every member gets a CSV row for, even when zero.
    static let coreCSVKeys: [CounterKey] = [
        .screened, .matches, .distinctEntries, .entriesPublished, .revocations, .retractions,
        .appealsFiled, .appealsUpheld, .appealsRejected, .appealsOverdue,
    ]

    /// `month,member,metric,value`: for every member, `days_reported`, the core metrics, then each
    /// non-zero breakdown counter, all under the names nodes report them by.
    static func csv(_ statistics: AllianceStatistics, period: CalendarMonth) -> String {
        var rows: [[String]] = [["month", "member", "metric", "value"]]
        for member in statistics.members {
            let summary = statistics.summary(member: member)
            rows.append([period.description, member, "days_reported", String(summary.memberDaysReported)])
            for key in coreCSVKeys { rows.append([period.description, member, key.name, String(summary.value(of: key))]) }
            for (key, value) in summary.nonZeroCounters where !coreCSVKeys.contains(key) {
                rows.append([period.description, member, key.name, String(value)])
            }
        }
        return CSVText.document(rows)
    }

    // MARK: Document

    static func document(alliance: String, period: CalendarMonth, current: AllianceStatistics,
                         previous: AllianceStatistics) -> ReportDocument {
        let total = current.total
        let facts: [(String, String)] = [
            ("Alliance · 联盟", alliance),
            ("Period · 统计期", "\(period.firstDay) – \(period.lastDay)"),
            ("Members reporting · 报送成员", "\(total.membersReporting) / \(current.members.count)"),
            ("Due · 报送时限", "\(period.reportDueDay) (working day before the 15th · 15日前一个工作日)"),
        ]
        return ReportDocument(
            title: "\(alliance) — joint punishment of credit speculation, \(period.english)",
            subtitle: "\(period.chinese)联合惩戒“炒信”工作月报",
            facts: facts,
            sections: [
                overall(period: period, current: current, previous: previous),
                results(period: period, current: current, previous: previous),
                ReportDocument.Section(title: "3. Members · 各成员单位情况", blocks: [.table(memberTable(current))]),
                appeals(current: current),
                ReportDocument.Section(title: "5. Problems and next steps · 存在的问题与下一步", blocks: problems(period, current, previous)),
            ])
    }

    private static func overall(period: CalendarMonth, current: AllianceStatistics, previous: AllianceStatistics) -> ReportDocument.Section {
        let total = current.total, before = previous.total
        let rate = NumberText.percent(total.matches, of: total.screened)
        let english = "In \(period.english), \(total.membersReporting) of \(current.members.count) members reported on "
            + "\(NumberText.grouped(total.memberDaysReported)) member-days. They screened \(NumberText.grouped(total.screened)) "
            + "accounts and found \(NumberText.grouped(total.matches)) matches (\(rate) of accounts screened) against "
            + "\(NumberText.grouped(total.distinctEntries)) entries counted daily. At month end the members had "
            + "\(NumberText.grouped(total.entriesPublished)) active entries published; \(NumberText.grouped(total.revocations)) "
            + "entries were revoked and \(NumberText.grouped(total.appealsFiled)) appeals filed."
        let chinese = "\(period.chinese)，\(current.members.count)家成员单位中有\(total.membersReporting)家报送数据，"
            + "共筛查账户\(NumberText.grouped(total.screened))个，命中\(NumberText.grouped(total.matches))次（命中率\(rate)），"
            + "按日累计命中名单条目\(NumberText.grouped(total.distinctEntries))条；月末在库共享名单"
            + "\(NumberText.grouped(total.entriesPublished))条，撤销\(NumberText.grouped(total.revocations))条，"
            + "受理异议申诉\(NumberText.grouped(total.appealsFiled))件。"
        let hasPrevious = before.memberDaysReported > 0
        func row(_ english: String, _ chinese: String, _ now: Int, _ then: Int) -> [String] {
            [english, chinese, NumberText.grouped(now), hasPrevious ? NumberText.grouped(then) : "–",
             hasPrevious ? NumberText.change(from: then, to: now) : "–"]
        }
        let table = ReportDocument.Table(
            headers: [("Figure", "指标"), ("", "中文"), (period.english, period.chinese),
                      (period.previous.english, period.previous.chinese), ("Change", "环比")],
            rows: [
                row("Members reporting", "报送成员单位", total.membersReporting, before.membersReporting),
                row("Member-days reported", "报送天数（成员×日）", total.memberDaysReported, before.memberDaysReported),
                row("Accounts screened", "筛查账户", total.screened, before.screened),
                row("Matches", "命中", total.matches, before.matches),
                row("Distinct entries matched (daily, summed)", "命中名单条目（按日累计）", total.distinctEntries, before.distinctEntries),
                row("Entries published (month end)", "在库共享名单（月末）", total.entriesPublished, before.entriesPublished),
                row("Revocations", "撤销", total.revocations, before.revocations),
                row("Retractions", "撤回", total.retractions, before.retractions),
                row("Appeals filed", "异议申诉", total.appealsFiled, before.appealsFiled),
                row("Appeals overdue (month end)", "逾期申诉（月末）", total.appealsOverdue, before.appealsOverdue),
            ],
            textColumns: 2)
        return ReportDocument.Section(title: "1. Overall situation · 总体情况",
                                      blocks: [.paragraph(english), .paragraph(chinese), .table(table)])
    }

    private static func results(period: CalendarMonth, current: AllianceStatistics, previous: AllianceStatistics) -> ReportDocument.Section {
        let total = current.total, before = previous.total
        let hasPrevious = before.memberDaysReported > 0
        var blocks: [ReportDocument.Block] = [
            .paragraph("\(NumberText.grouped(total.matches)) matches led to joint punishment or, for red-list subjects, "
                       + "incentives. \(NumberText.grouped(total.distinctEntries)) distinct entries were matched, counted per "
                       + "member and day (an entry matched on several days or by several members counts more than once, so this "
                       + "is an upper bound on distinct subjects). 本月命中\(NumberText.grouped(total.matches))次，"
                       + "涉及名单条目\(NumberText.grouped(total.distinctEntries))条（按成员、按日累计，为主体数上限）。"),
            .html(ReportCharts.matchesTimeline(current, month: period, width: 1120, height: 300)),
            .subheading("2.1 Matches by list · 按名单"),
            .table(ReportDocument.Table(
                headers: [("List", "名单"), ("", "中文"), ("Matches", "命中"), ("Share", "占比")],
                rows: CounterKey.lists.map { list in
                    let names = VocabularyLabels.list(list)
                    let value = total.matchesByList[list, default: 0]
                    return [names.english, names.chinese, NumberText.grouped(value), NumberText.percent(value, of: total.matches)]
                },
                textColumns: 2)),
            .subheading("2.2 Matches by severity · 按严重程度"),
            .table(ReportDocument.Table(
                headers: [("Severity", "严重程度"), ("", "中文"), ("Matches", "命中"), ("Share", "占比")],
                rows: CounterKey.severities.map { level in
                    let names = VocabularyLabels.severity(level)
                    let value = total.matchesBySeverity[level, default: 0]
                    return [names.english, names.chinese, NumberText.grouped(value), NumberText.percent(value, of: total.matches)]
                },
                textColumns: 2)),
            .subheading("2.3 Matches by category · 按类别"),
        ]
        let codes = Set(total.matchesByCategory.keys).union(before.matchesByCategory.keys)
            .sorted { (total.matchesByCategory[$0, default: 0], before.matchesByCategory[$0, default: 0], $1)
                > (total.matchesByCategory[$1, default: 0], before.matchesByCategory[$1, default: 0], $0) }
        var categoryRows = codes.map { code -> [String] in
            let now = total.matchesByCategory[code, default: 0], then = before.matchesByCategory[code, default: 0]
            return [CategoryNames.english(code), CategoryNames.chinese(code), NumberText.grouped(now),
                    NumberText.percent(now, of: total.matches), hasPrevious ? NumberText.grouped(then) : "–",
                    hasPrevious ? NumberText.change(from: then, to: now) : "–"]
        }
        if total.unclassifiedMatches > 0 {
            categoryRows.append(["Not classified", "未分类", NumberText.grouped(total.unclassifiedMatches),
                                 NumberText.percent(total.unclassifiedMatches, of: total.matches), "–", "–"])
        }
        blocks.append(categoryRows.isEmpty
            ? .paragraph("No categorised matches this month. 本月无分类命中。")
            : .table(ReportDocument.Table(
                headers: [("Category", "类别"), ("", "中文"), ("Matches", "命中"), ("Share", "占比"),
                          (period.previous.english, "上月"), ("Change", "环比")],
                rows: categoryRows, textColumns: 2)))
        blocks.append(.subheading("2.4 Joint-punishment measures applied · 联合惩戒措施实施情况"))
        blocks.append(.table(ReportDocument.Table(
            headers: [("Code", "编号"), ("Measure", "措施"), ("", "中文"), ("Applied", "实施次数")],
            rows: MeasureNames.all.map {
                [$0.code, $0.english, $0.chinese, NumberText.grouped(total.matchesByMeasure[$0.code, default: 0])]
            },
            footer: ["", "All measures", "合计", NumberText.grouped(total.matchesByMeasure.values.reduce(0, +))],
            textColumns: 3)))
        return ReportDocument.Section(title: "2. Results of joint punishment · 联合惩戒成效", blocks: blocks)
    }

    private static func memberTable(_ statistics: AllianceStatistics) -> ReportDocument.Table {
        func figures(_ summary: CounterSummary, hits: Int) -> [String] {
            [NumberText.grouped(summary.memberDaysReported), NumberText.grouped(summary.screened),
             NumberText.grouped(summary.matches), NumberText.percent(summary.matches, of: summary.screened),
             NumberText.grouped(summary.distinctEntries), NumberText.grouped(hits),
             NumberText.grouped(summary.entriesPublished), NumberText.grouped(summary.revocations),
             NumberText.grouped(summary.retractions), NumberText.grouped(summary.appealsFiled),
             NumberText.grouped(summary.appealsUpheld), NumberText.grouped(summary.appealsRejected),
             NumberText.grouped(summary.appealsOverdue)]
        }
        let total = statistics.total
        return ReportDocument.Table(
            headers: [("Member", "成员单位"), ("Days", "报送天数"), ("Screened", "筛查"), ("Matches", "命中"),
                      ("Rate", "命中率"), ("Entries matched", "命中条目"), ("Hits on its entries", "其名单被命中"),
                      ("Published", "在库名单"), ("Revoked", "撤销"), ("Retracted", "撤回"), ("Appeals", "申诉"),
                      ("Upheld", "成立"), ("Rejected", "驳回"), ("Overdue", "逾期")],
            rows: statistics.members.map { [$0] + figures(statistics.summary(member: $0), hits: statistics.hitsOnEntries(of: $0)) },
            footer: ["All members · 合计"] + figures(total, hits: total.matchesByOrigin.values.reduce(0, +)))
    }

    private static func appeals(current: AllianceStatistics) -> ReportDocument.Section {
        let total = current.total
        let decided = total.appealsUpheld + total.appealsRejected
        var rows = CounterKey.revocationReasons.map { reason -> [String] in
            let names = VocabularyLabels.revocationReason(reason)
            let value = total.revocationsByReason[reason, default: 0]
            return [names.english, names.chinese, NumberText.grouped(value), NumberText.percent(value, of: total.revocations)]
        }
        let unexplained = total.revocations - total.revocationsByReason.values.reduce(0, +)
        if unexplained > 0 {
            rows.append(["No reason given", "未注明原因", NumberText.grouped(unexplained),
                         NumberText.percent(unexplained, of: total.revocations)])
        }
        return ReportDocument.Section(title: "4. Appeals, revocations and credit repair · 异议申诉与信用修复", blocks: [
            .paragraph("\(NumberText.grouped(total.appealsFiled)) appeals were filed; \(NumberText.grouped(total.appealsUpheld)) "
                       + "were upheld and \(NumberText.grouped(total.appealsRejected)) rejected (upheld in "
                       + "\(NumberText.percent(total.appealsUpheld, of: decided)) of decisions); "
                       + "\(NumberText.grouped(total.appealsOverdue)) were overdue at month end. Members revoked "
                       + "\(NumberText.grouped(total.revocations)) of their own entries and retracted "
                       + "\(NumberText.grouped(total.retractions)). 本月受理异议申诉\(NumberText.grouped(total.appealsFiled))件，"
                       + "申诉成立\(NumberText.grouped(total.appealsUpheld))件、驳回\(NumberText.grouped(total.appealsRejected))件，"
                       + "月末逾期\(NumberText.grouped(total.appealsOverdue))件；撤销名单\(NumberText.grouped(total.revocations))条，"
                       + "撤回\(NumberText.grouped(total.retractions))条。"),
            .subheading("4.1 Revocations by reason · 撤销原因"),
            .table(ReportDocument.Table(headers: [("Reason", "原因"), ("", "中文"), ("Revocations", "撤销"), ("Share", "占比")],
                                        rows: rows,
                                        footer: ["All revocations", "合计", NumberText.grouped(total.revocations), ""],
                                        textColumns: 2)),
            .subheading("4.2 Appeals · 异议申诉"),
            .table(ReportDocument.Table(
                headers: [("Appeals", "申诉"), ("", "中文"), ("Count", "件数")],
                rows: [
                    ["Filed", "受理", NumberText.grouped(total.appealsFiled)],
                    ["Upheld", "成立", NumberText.grouped(total.appealsUpheld)],
                    ["Rejected", "驳回", NumberText.grouped(total.appealsRejected)],
                    ["Overdue at month end", "月末逾期", NumberText.grouped(total.appealsOverdue)],
                ],
                textColumns: 2)),
        ])
    }

    private static func problems(_ period: CalendarMonth, _ current: AllianceStatistics,
                                 _ previous: AllianceStatistics) -> [ReportDocument.Block] {
        let findings = MonthlyFindings.findings(month: period, current: current, previous: previous)
        guard !findings.isEmpty else {
            return [.paragraph("The reported data show no problem this month. 本月报送数据未发现问题。")]
        }
        return [.findings(findings.map { ("\($0.problem) \($0.problemChinese)", "\($0.nextStep) \($0.nextStepChinese)") })]
    }
}
