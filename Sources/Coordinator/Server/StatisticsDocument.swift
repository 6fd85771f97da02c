import Foundation
import Hummingbird

/// `GET /v1/statistics?month=YYYY-MM`: the figures behind the dashboard, as counter names → values
/// (the names nodes report them by) plus `member_days` and `members_reporting`.
struct StatisticsDocument: ResponseEncodable, Sendable {
    let alliance: String
    let month: String?
    let members: [String]
    let days: [String]
    let total: [String: Int]
    let perMember: [String: [String: Int]]
    let perDay: [String: [String: Int]]
    let totalsCheck: [String]

    enum CodingKeys: String, CodingKey {
        case alliance, month, members, days, total
        case perMember = "per_member"
        case perDay = "per_day"
        case totalsCheck = "totals_check"
    }

    init(statistics: AllianceStatistics, alliance: String, month: String?) {
        self.alliance = alliance
        self.month = month
        members = statistics.members
        days = statistics.days
        total = Self.figures(statistics.total)
        perMember = Dictionary(uniqueKeysWithValues: statistics.members.map { ($0, Self.figures(statistics.summary(member: $0))) })
        perDay = statistics.perDay.mapValues(Self.figures)
        totalsCheck = statistics.totalsCheck()
    }

    static func figures(_ summary: CounterSummary) -> [String: Int] {
        var out = Dictionary(uniqueKeysWithValues: summary.nonZeroCounters.map { ($0.key.name, $0.value) })
        out["member_days"] = summary.memberDaysReported
        out["members_reporting"] = summary.membersReporting
        return out
    }
}
