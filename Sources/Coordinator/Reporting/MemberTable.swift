/// The dashboard's per-member table: one row per member, a total row, zeros muted, non-reporting members
/// flagged. Rendered by ``MemberTableTemplate`` inside the dashboard.
enum MemberTable {
    /// What the template renders.
    struct Model: Sendable {
        struct Header: Sendable {
            let english: String
            let chinese: String
        }

        /// A figure: grouped digits, muted when zero, with the share-of-matches bar in the matches column.
        struct Cell: Sendable {
            let text: String
            let zero: Bool
            let share: Share?

            init(_ value: Int, share: Share? = nil) {
                text = NumberText.grouped(value)
                zero = value == 0
                self.share = share
            }

            init(text: String, zero: Bool = false) {
                self.text = text
                self.zero = zero
                share = nil
            }
        }

        struct Share: Sendable {
            /// `12.5% of all matches`; empty on the total row (no tooltip). Stored, not computed: templates
            /// read values by reflection.
            let title: String
            let hasTitle: Bool
            /// Percent, one decimal.
            let width: String

            init(title: String, width: String) {
                self.title = title
                hasTitle = !title.isEmpty
                self.width = width
            }
        }

        struct Row: Sendable {
            let member: String
            let noReports: Bool
            let overdue: Bool
            let cells: [Cell]
        }

        let headers: [Header]
        let rows: [Row]
        let total: [Cell]
    }

    static let headers: [Model.Header] = [
        .init(english: "Member", chinese: "成员单位"), .init(english: "Days reported", chinese: "报送天数"),
        .init(english: "Accounts screened", chinese: "筛查账户"), .init(english: "Matches", chinese: "命中"),
        .init(english: "Match rate", chinese: "命中率"), .init(english: "Distinct entries", chinese: "命中条目"),
        .init(english: "Hits on its entries", chinese: "其名单被命中"), .init(english: "Entries published", chinese: "在库名单"),
        .init(english: "Revocations", chinese: "撤销"), .init(english: "Retractions", chinese: "撤回"),
        .init(english: "Appeals filed", chinese: "申诉"), .init(english: "Upheld", chinese: "成立"), .init(english: "Rejected", chinese: "驳回"),
        .init(english: "Overdue", chinese: "逾期"),
    ]

    static func model(_ statistics: AllianceStatistics, daysInPeriod: Int?) -> Model {
        let total = statistics.total
        let rows = statistics.members.map { member -> Model.Row in
            let summary = statistics.summary(member: member)
            let days = daysInPeriod.map { "\(summary.memberDaysReported) / \($0)" } ?? NumberText.grouped(summary.memberDaysReported)
            let share = total.matches > 0 ? Double(summary.matches) * 100 / Double(total.matches) : 0
            return Model.Row(
                member: member, noReports: summary.memberDaysReported == 0,
                overdue: summary.memberDaysReported != 0 && summary.appealsOverdue > 0,
                cells: [
                    summary.memberDaysReported == 0 ? Model.Cell(0) : Model.Cell(text: days),
                    Model.Cell(summary.screened),
                    Model.Cell(summary.matches, share: .init(title: "\(NumberText.percent(summary.matches, of: total.matches)) of all matches",
                                                             width: String(format1: share))),
                    summary.screened > 0 ? Model.Cell(text: NumberText.percent(summary.matches, of: summary.screened)) : Model.Cell(0),
                    Model.Cell(summary.distinctEntries), Model.Cell(statistics.hitsOnEntries(of: member)), Model.Cell(summary.entriesPublished),
                    Model.Cell(summary.revocations), Model.Cell(summary.retractions), Model.Cell(summary.appealsFiled),
                    Model.Cell(summary.appealsUpheld), Model.Cell(summary.appealsRejected), Model.Cell(summary.appealsOverdue),
                ])
        }
        let totals: [Model.Cell] = [
            Model.Cell(text: NumberText.grouped(total.memberDaysReported)), Model.Cell(total.screened),
            Model.Cell(total.matches, share: .init(title: "", width: "100")),
            total.screened > 0 ? Model.Cell(text: NumberText.percent(total.matches, of: total.screened)) : Model.Cell(0),
            Model.Cell(total.distinctEntries), Model.Cell(total.matchesByOrigin.values.reduce(0, +)), Model.Cell(total.entriesPublished),
            Model.Cell(total.revocations), Model.Cell(total.retractions), Model.Cell(total.appealsFiled),
            Model.Cell(total.appealsUpheld), Model.Cell(total.appealsRejected), Model.Cell(total.appealsOverdue),
        ]
        return Model(headers: headers, rows: rows, total: totals)
    }
}
