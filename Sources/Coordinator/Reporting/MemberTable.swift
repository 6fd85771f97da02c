/// The dashboard's per-member table: one row per member, a total row, zeros muted, non-reporting members flagged.
enum MemberTable {
    static func render(_ statistics: AllianceStatistics, daysInPeriod: Int?) -> String {
        let total = statistics.total
        var html = "<div class=\"table-wrap\"><table><thead><tr>"
        let headers: [(String, String)] = [
            ("Member", "成员单位"), ("Days reported", "报送天数"), ("Accounts screened", "筛查账户"),
            ("Matches", "命中"), ("Match rate", "命中率"), ("Distinct entries", "命中条目"),
            ("Hits on its entries", "其名单被命中"), ("Entries published", "在库名单"), ("Revocations", "撤销"),
            ("Retractions", "撤回"), ("Appeals filed", "申诉"), ("Upheld", "成立"), ("Rejected", "驳回"),
            ("Overdue", "逾期"),
        ]
        for (english, chinese) in headers {
            html += "<th>\(HTMLText.escape(english))<span class=\"cn\">\(HTMLText.escape(chinese))</span></th>"
        }
        html += "</tr></thead><tbody>"
        for member in statistics.members {
            let summary = statistics.summary(member: member)
            html += "<tr><td class=\"member\" title=\"\(HTMLText.escape(member))\">\(HTMLText.escape(member))"
            if summary.memberDaysReported == 0 {
                html += "<span class=\"badge\">no reports · 未报送</span>"
            } else if summary.appealsOverdue > 0 {
                html += "<span class=\"badge warn\">overdue appeals</span>"
            }
            html += "</td>"
            let days = daysInPeriod.map { "\(summary.memberDaysReported) / \($0)" } ?? NumberText.grouped(summary.memberDaysReported)
            html += summary.memberDaysReported == 0 ? cell(0) : "<td>\(days)</td>"
            html += cell(summary.screened)
            let share = total.matches > 0 ? Double(summary.matches) * 100 / Double(total.matches) : 0
            html += "<td>\(number(summary.matches))<span class=\"share\" title=\"\(NumberText.percent(summary.matches, of: total.matches)) of all matches\">"
            html += "<span style=\"width:\(String(format1: share))%\"></span></span></td>"
            html += summary.screened > 0 ? "<td>\(NumberText.percent(summary.matches, of: summary.screened))</td>" : cell(0)
            html += cell(summary.distinctEntries) + cell(statistics.hitsOnEntries(of: member)) + cell(summary.entriesPublished)
            html += cell(summary.revocations) + cell(summary.retractions) + cell(summary.appealsFiled)
            html += cell(summary.appealsUpheld) + cell(summary.appealsRejected) + cell(summary.appealsOverdue)
            html += "</tr>"
        }
        html += "</tbody><tfoot><tr><td>All members · 合计</td>"
        html += "<td>\(NumberText.grouped(total.memberDaysReported))</td>" + cell(total.screened)
        html += "<td>\(number(total.matches))<span class=\"share\"><span style=\"width:100%\"></span></span></td>"
        html += total.screened > 0 ? "<td>\(NumberText.percent(total.matches, of: total.screened))</td>" : cell(0)
        html += cell(total.distinctEntries) + cell(total.matchesByOrigin.values.reduce(0, +)) + cell(total.entriesPublished)
        html += cell(total.revocations) + cell(total.retractions) + cell(total.appealsFiled)
        html += cell(total.appealsUpheld) + cell(total.appealsRejected) + cell(total.appealsOverdue)
        return html + "</tr></tfoot></table></div>"
    }

    private static func number(_ value: Int) -> String {
        value == 0 ? "<span class=\"zero\">0</span>" : NumberText.grouped(value)
    }

    private static func cell(_ value: Int) -> String { "<td>\(number(value))</td>" }
}
