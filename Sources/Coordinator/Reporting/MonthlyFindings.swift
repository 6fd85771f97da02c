import ExchangeProtocol

/// Derives "problems and next steps" (问题与下一步) from a month's statistics and the month before.
enum MonthlyFindings {
    /// A category counts as rising when its matches grew by at least this fraction…
    static let risingFraction = 0.2
    /// …and by at least this many matches.
    static let risingMinimum = 20
    /// A member's screening counts as dropped when it fell below this fraction of the previous month.
    static let droppedFraction = 0.5

    static func findings(month: CalendarMonth, current: AllianceStatistics, previous: AllianceStatistics) -> [ReportFinding] {
        var out: [ReportFinding] = []
        let reporting = current.members.filter { current.summary(member: $0).memberDaysReported > 0 }

        let silent = current.members.filter { current.summary(member: $0).memberDaysReported == 0 }
        if !silent.isEmpty {
            let names = silent.joined(separator: ", ")
            out.append(ReportFinding(
                kind: .memberSilent,
                problem: "\(silent.count) member(s) reported no data for \(month.english): \(names).",
                problemChinese: "\(silent.count)家成员单位\(month.chinese)未报送数据：\(silent.joined(separator: "、"))。",
                nextStep: "Ask them to check their node's statistics upload and resend the missing days.",
                nextStepChinese: "督促其检查节点统计数据上报并补报缺失日期。"))
        }

        // Days expected: from the 1st to the last day anyone reported this month.
        if let lastReported = current.days.last.flatMap({ Day(parsing: $0) }) {
            let expected = month.days.filter { $0 <= lastReported }
            var gaps: [(String, Int, String)] = []
            for member in reporting {
                let reported = Set(current.counters.lazy.filter { $0.member == member }.map(\.day))
                let missing = expected.filter { !reported.contains($0) }
                if !missing.isEmpty { gaps.append((member, missing.count, ranges(missing))) }
            }
            if !gaps.isEmpty {
                let english = gaps.map { "\($0.0) (\($0.1) day(s): \($0.2))" }.joined(separator: "; ")
                let chinese = gaps.map { "\($0.0)（\($0.1)天：\($0.2)）" }.joined(separator: "；")
                out.append(ReportFinding(
                    kind: .reportingGaps,
                    problem: "Reporting gaps up to \(lastReported): \(english).",
                    problemChinese: "截至\(lastReported)存在漏报：\(chinese)。",
                    nextStep: "Resend the missing days; check the node's scheduled statistics job.",
                    nextStepChinese: "补报缺失日期，检查节点定时统计任务。"))
            }
        }

        let overdue = current.members.map { ($0, current.summary(member: $0).appealsOverdue) }.filter { $0.1 > 0 }
        if !overdue.isEmpty {
            let total = overdue.reduce(0) { $0 + $1.1 }
            out.append(ReportFinding(
                kind: .overdueAppeals,
                problem: "\(total) appeal(s) were overdue at the end of the month: "
                    + overdue.map { "\($0.0) \($0.1)" }.joined(separator: ", ") + ".",
                problemChinese: "月末仍有\(total)件异议申诉逾期未办结："
                    + overdue.map { "\($0.0) \($0.1)件" }.joined(separator: "、") + "。",
                nextStep: "Decide the overdue appeals now; withdraw any wrong listing and restore the subject's reputation promptly.",
                nextStepChinese: "尽快办结逾期申诉；对错误列入的及时撤销并恢复信誉。"))
        }

        let hasPrevious = previous.total.memberDaysReported > 0
        if hasPrevious {
            let codes = Set(current.total.matchesByCategory.keys).union(previous.total.matchesByCategory.keys)
            let rising = codes.compactMap { code -> (String, Int, Int)? in
                let now = current.total.matchesByCategory[code, default: 0]
                let before = previous.total.matchesByCategory[code, default: 0]
                guard now - before >= risingMinimum, Double(now) >= Double(before) * (1 + risingFraction) else { return nil }
                return (code, before, now)
            }.sorted { ($0.2 - $0.1) != ($1.2 - $1.1) ? ($0.2 - $0.1) > ($1.2 - $1.1) : $0.0 < $1.0 }
            if !rising.isEmpty {
                out.append(ReportFinding(
                    kind: .categoryRising,
                    problem: "Rising categories against \(month.previous.english): " + rising.map {
                        "\(CategoryNames.english($0.0)) \(NumberText.grouped($0.1)) → \(NumberText.grouped($0.2)) "
                            + "(\(NumberText.change(from: $0.1, to: $0.2)))"
                    }.joined(separator: "; ") + ".",
                    problemChinese: "与\(month.previous.chinese)相比上升的类别：" + rising.map {
                        "\(CategoryNames.chinese($0.0)) \(NumberText.grouped($0.1)) → \(NumberText.grouped($0.2))"
                    }.joined(separator: "；") + "。",
                    nextStep: "Look into the sources of the rise with the members that listed these entries; "
                        + "consider targeted action on these behaviours.",
                    nextStepChinese: "会同列入单位分析上升原因，组织开展专项治理。"))
            }

            let dropped = reporting.compactMap { member -> (String, Int, Int)? in
                let before = previous.summary(member: member).screened
                let now = current.summary(member: member).screened
                guard before > 0, Double(now) < Double(before) * droppedFraction else { return nil }
                return (member, before, now)
            }
            if !dropped.isEmpty {
                out.append(ReportFinding(
                    kind: .screeningDropped,
                    problem: "Screening fell by more than half at: " + dropped.map {
                        "\($0.0) (\(NumberText.grouped($0.1)) → \(NumberText.grouped($0.2)))"
                    }.joined(separator: ", ") + ".",
                    problemChinese: "筛查量下降过半：" + dropped.map { "\($0.0)" }.joined(separator: "、") + "。",
                    nextStep: "Check that real-time and batch screening still run at these members.",
                    nextStepChinese: "核实上述单位实时筛查与批量筛查是否正常运行。"))
            }
        }

        let erroneous = current.members.map { ($0, current.summary(member: $0).revocationsByReason["erroneous", default: 0]) }
            .filter { $0.1 > 0 }
        if !erroneous.isEmpty {
            let total = erroneous.reduce(0) { $0 + $1.1 }
            out.append(ReportFinding(
                kind: .erroneousListings,
                problem: "\(total) entr\(total == 1 ? "y was" : "ies were") revoked as listed in error: "
                    + erroneous.map { "\($0.0) \($0.1)" }.joined(separator: ", ") + ".",
                problemChinese: "\(total)条名单因错误列入被撤销：" + erroneous.map { "\($0.0) \($0.1)条" }.joined(separator: "、") + "。",
                nextStep: "Review how these entries were listed; make sure every member lifted its measures and restored the subjects' reputation.",
                nextStepChinese: "复核列入程序，确保各成员解除惩戒措施并及时恢复主体信誉。"))
        }

        let noEntries = reporting.filter { current.summary(member: $0).entriesPublished == 0 }
        if !noEntries.isEmpty {
            out.append(ReportFinding(
                kind: .noEntriesPublished,
                problem: "Member(s) that screen but publish no entries of their own: \(noEntries.joined(separator: ", ")).",
                problemChinese: "仅筛查、未共享名单的成员单位：\(noEntries.joined(separator: "、"))。",
                nextStep: "Encourage them to publish their blacklist so the alliance's sharing is mutual.",
                nextStepChinese: "督促其共享本单位名单，实现信息互享。"))
        }

        let mismatches = current.breakdownMismatches()
        if !mismatches.isEmpty {
            let members = Array(Set(mismatches.map(\.member))).sorted()
            out.append(ReportFinding(
                kind: .breakdownMismatch,
                problem: "\(mismatches.count) breakdown(s) do not add up to their total, at: \(members.joined(separator: ", ")) "
                    + "(e.g. " + mismatches.prefix(3).map {
                        "\($0.member) \($0.breakdown).* = \(NumberText.grouped($0.found)) vs \(NumberText.grouped($0.expected))"
                    }.joined(separator: "; ") + ").",
                problemChinese: "分项统计与总数不符：\(members.joined(separator: "、"))。",
                nextStep: "Check these nodes' statistics; the figures in sections 2 and 4 are only as good as their breakdowns.",
                nextStepChinese: "核查上述节点的统计口径。"))
        }

        let ignored = current.ignoredRows.values.reduce(0, +)
        if ignored > 0 {
            out.append(ReportFinding(
                kind: .ignoredRows,
                problem: "\(NumberText.grouped(ignored)) reported row(s) (whole history) were not understood and left out: "
                    + current.ignoredRows.sorted { $0.key.rawValue < $1.key.rawValue }
                        .map { "\($0.value) \($0.key.rawValue)" }.joined(separator: ", ") + ".",
                problemChinese: "\(NumberText.grouped(ignored))条报送记录格式不符，未纳入统计。",
                nextStep: "Upgrade or fix the nodes sending them.",
                nextStepChinese: "升级或修正相关节点。"))
        }
        return out
    }

    /// `2018-05-12 – 2018-05-16, 2018-05-20` for sorted days.
    static func ranges(_ days: [Day]) -> String {
        var parts: [String] = []
        var start: Day?
        var end: Day?
        for day in days {
            if let last = end, day.ordinal == last.ordinal + 1 { end = day; continue }
            if let first = start, let last = end { parts.append(first == last ? "\(first)" : "\(first) – \(last)") }
            start = day
            end = day
        }
        if let first = start, let last = end { parts.append(first == last ? "\(first)" : "\(first) – \(last)") }
        return parts.joined(separator: ", ")
    }
}
