import ExchangeProtocol

/// Builds the charts the dashboard and the monthly report share, from statistics already restricted to a period.
enum ReportCharts {
    static let unclassifiedKey = "_unclassified"
    static let memberColour = "#4E79A7"

    /// The buckets of a timeline: every day of `month`, or for no month every day from the first to the
    /// last reported (every month when that spans more than 92 days).
    static func timeline(_ statistics: AllianceStatistics, month: CalendarMonth?) -> (buckets: [StackedBarChart.Bucket], xTitle: String) {
        func categoryValues(_ summary: CounterSummary?) -> [String: Int] {
            guard let summary else { return [:] }
            var values = summary.matchesByCategory
            values[unclassifiedKey] = summary.unclassifiedMatches
            return values
        }
        func dayBucket(_ day: Day, label: String) -> StackedBarChart.Bucket {
            StackedBarChart.Bucket(name: day.description, axisLabel: label, shaded: day.isWeekend,
                                   values: categoryValues(statistics.perDay[day.description]))
        }
        if let month {
            let buckets = month.days.map { dayBucket($0, label: String($0.components.day)) }
            return (buckets, "Day of \(month.english) · \(month.chinese)（日）· weekends shaded")
        }
        guard let first = statistics.days.first.flatMap({ Day(parsing: $0) }),
              let last = statistics.days.last.flatMap({ Day(parsing: $0) }) else { return ([], "Day") }
        if last.ordinal - first.ordinal <= 92 {
            let buckets = (0...Int(last.ordinal - first.ordinal)).map { offset -> StackedBarChart.Bucket in
                let day = first.adding(days: offset)
                return dayBucket(day, label: String(day.description.dropFirst(5)))
            }
            return (buckets, "Day (MM-DD) · 日期 · weekends shaded")
        }
        var months: [CalendarMonth] = []
        var cursor = CalendarMonth(containing: first)
        let end = CalendarMonth(containing: last)
        while cursor <= end, months.count < 1200 {
            months.append(cursor)
            cursor = cursor.next
        }
        let buckets = months.map {
            StackedBarChart.Bucket(name: $0.description, axisLabel: $0.description, shaded: false,
                                   values: categoryValues(statistics.perMonth[$0.description]))
        }
        return (buckets, "Month · 月份")
    }

    /// Category series present in the period, largest total first (drawn at the bottom of each stack).
    static func categorySeries(_ summary: CounterSummary) -> [ChartSeries] {
        var series = summary.categoriesByMatches.map {
            ChartSeries(key: $0.code, label: CategoryNames.english($0.code),
                        secondaryLabel: CategoryNames.chinese($0.code), colour: CategoryNames.colour($0.code))
        }
        if summary.unclassifiedMatches > 0 {
            series.append(ChartSeries(key: unclassifiedKey, label: "Not classified", secondaryLabel: "未分类",
                                      colour: CategoryNames.unclassifiedColour))
        }
        return series
    }

    /// Stacked matches-per-day chart with its legend, or an empty-state line.
    static func matchesTimeline(_ statistics: AllianceStatistics, month: CalendarMonth?,
                                width: Double = 1240, height: Double = 330) -> String {
        let series = categorySeries(statistics.total)
        let (buckets, xTitle) = timeline(statistics, month: month)
        guard statistics.total.matches > 0, !buckets.isEmpty else {
            return "<p class=\"empty\">No matches reported in this period. 本期无命中。</p>"
        }
        var totals = statistics.total.matchesByCategory
        totals[unclassifiedKey] = statistics.total.unclassifiedMatches
        let chart = StackedBarChart(series: series, buckets: buckets, yAxisTitle: "Matches · 命中数", xAxisTitle: xTitle,
                                    summary: "Matches over time by category", width: width, height: height)
        return chart.render() + ChartLegend.render(series, totals: totals)
    }

    /// Matches by reporting member, largest first.
    static func matchesByMember(_ statistics: AllianceStatistics) -> String {
        let items = statistics.members
            .map { ($0, statistics.summary(member: $0).matches) }
            .sorted { $0.1 != $1.1 ? $0.1 > $1.1 : $0.0 < $1.0 }
            .map { HorizontalBarChart.Item(label: $0.0, secondaryLabel: "", value: $0.1, colour: memberColour,
                                           note: "(\(NumberText.percent($0.1, of: statistics.total.matches)))") }
        guard statistics.total.matches > 0 else {
            return "<p class=\"empty\">No matches reported in this period. 本期无命中。</p>"
        }
        return HorizontalBarChart(items: items, summary: "Matches by reporting member").render()
    }

    /// The most-matched categories (at most `limit`), with shares of all matches.
    static func topCategories(_ summary: CounterSummary, limit: Int = 8) -> String {
        let top = summary.categoriesByMatches.prefix(limit)
        guard !top.isEmpty else { return "<p class=\"empty\">No categorised matches in this period. 本期无分类命中。</p>" }
        let items = top.map {
            HorizontalBarChart.Item(label: CategoryNames.english($0.code), secondaryLabel: CategoryNames.chinese($0.code),
                                    value: $0.matches, colour: CategoryNames.colour($0.code),
                                    note: "(\(NumberText.percent($0.matches, of: summary.matches)))")
        }
        return HorizontalBarChart(items: items, summary: "Top categories by matches", labelWidth: 220).render()
    }

    /// Revocations of members' own entries by reason (all four reasons, zeros included).
    static func revocationsByReason(_ summary: CounterSummary) -> String {
        guard summary.revocations > 0 else { return "<p class=\"empty\">No revocations in this period. 本期无撤销。</p>" }
        let reasons = CounterKey.revocationReasons + summary.revocationsByReason.keys
            .filter { !CounterKey.revocationReasons.contains($0) }.sorted()
        var items = reasons.map { reason -> HorizontalBarChart.Item in
            let label = VocabularyLabels.revocationReason(reason)
            let value = summary.revocationsByReason[reason, default: 0]
            return HorizontalBarChart.Item(label: label.english, secondaryLabel: label.chinese, value: value,
                                           colour: VocabularyLabels.revocationColour(reason),
                                           note: "(\(NumberText.percent(value, of: summary.revocations)))")
        }
        let unexplained = summary.revocations - summary.revocationsByReason.values.reduce(0, +)
        if unexplained > 0 {
            items.append(HorizontalBarChart.Item(label: "No reason given", secondaryLabel: "未注明原因", value: unexplained,
                                                 colour: "#BAB0AC", note: "(\(NumberText.percent(unexplained, of: summary.revocations)))"))
        }
        return HorizontalBarChart(items: items, summary: "Revocations by reason").render()
    }

    /// Matches by joint-punishment measure applied, in measure order (only measures applied).
    static func measuresApplied(_ summary: CounterSummary) -> String {
        let applied = MeasureNames.all.filter { summary.matchesByMeasure[$0.code, default: 0] > 0 }
        guard !applied.isEmpty else { return "<p class=\"empty\">No measures reported in this period. 本期未报告惩戒措施。</p>" }
        let items = applied.map {
            HorizontalBarChart.Item(label: "\($0.code) · \($0.english) · \($0.chinese)", secondaryLabel: "",
                                    value: summary.matchesByMeasure[$0.code, default: 0], colour: "#59799C")
        }
        return HorizontalBarChart(items: items, summary: "Joint-punishment measures applied",
                                  width: 1240, labelWidth: 640).render()
    }

    /// Two 100 % bars: matches split by list and by severity, with legends.
    static func listAndSeveritySplit(_ summary: CounterSummary) -> String {
        guard summary.matches > 0 else { return "" }
        func bar(title: String, parts: [(label: String, secondary: String, value: Int, colour: String)]) -> String {
            let total = max(1, parts.reduce(0) { $0 + $1.value })
            var html = "<div class=\"split-row\"><div class=\"title\">\(HTMLText.escape(title))</div><div class=\"split\">"
            for part in parts where part.value > 0 {
                let width = String(format1: Double(part.value) * 100 / Double(total))
                html += "<span style=\"width:\(width)%;background:\(part.colour)\" title=\"\(HTMLText.escape(part.label)): "
                html += "\(NumberText.grouped(part.value))\"></span>"
            }
            html += "</div>"
            html += ChartLegend.render(parts.map { ChartSeries(key: $0.label, label: $0.label, secondaryLabel: $0.secondary,
                                                               colour: $0.colour) },
                                       totals: Dictionary(parts.map { ($0.label, $0.value) }, uniquingKeysWith: +))
            return html + "</div>"
        }
        let listColours = ["black": "#33405a", "watch": "#E8A33D", "red": "#59A14F"]
        let lists = CounterKey.lists.map { list -> (String, String, Int, String) in
            let names = VocabularyLabels.list(list)
            return (names.english, names.chinese, summary.matchesByList[list, default: 0], listColours[list] ?? "#999")
        }
        let severityColours = [1: "#F6C85F", 2: "#EE8434", 3: "#C1292E"]
        let severities = CounterKey.severities.map { level -> (String, String, Int, String) in
            let names = VocabularyLabels.severity(level)
            return ("Severity " + names.english, names.chinese, summary.matchesBySeverity[level, default: 0],
                    severityColours[level] ?? "#999")
        }
        return bar(title: "By list · 按名单", parts: lists) + bar(title: "By severity · 按严重程度", parts: severities)
    }
}
