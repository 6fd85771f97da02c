import ExchangeProtocol

/// What the alliance's member nodes reported, added up by month, day, member, origin, list, category,
/// severity, measure, revocation reason, and appeal outcome. Pure: built from rows, no I/O.
///
/// Rows are checked first: a row with an empty member, a day that is not a real `YYYY-MM-DD` date,
/// an unknown key or a negative value is left out and counted in `ignoredRows`. When the same
/// (member, day, key) comes more than once, the later row replaces the earlier (a node resending a day).
public struct AllianceStatistics: Sendable {
    /// Every member: the roster given plus anyone who reported, sorted.
    public let members: [String]
    /// Days with at least one counter, sorted, `YYYY-MM-DD`.
    public let days: [String]
    /// Months with at least one counter, sorted, `YYYY-MM`.
    public let months: [String]
    /// Everything added up.
    public let total: CounterSummary
    /// One summary per member in `members` (empty for a member that reported nothing).
    public let perMember: [String: CounterSummary]
    /// One summary per day in `days`.
    public let perDay: [String: CounterSummary]
    /// One summary per month in `months`.
    public let perMonth: [String: CounterSummary]
    /// How many rows were left out, by reason.
    public let ignoredRows: [IgnoredRowReason: Int]

    let counters: [ParsedCounter]

    /// Aggregates reported rows. `roster` lists the alliance's members so that those who reported
    /// nothing still appear (with zeros).
    public init(rows: [CounterRow], roster: [String] = []) {
        var ignored: [IgnoredRowReason: Int] = [:]
        var position: [RowIdentity: Int] = [:]
        var counters: [ParsedCounter] = []
        counters.reserveCapacity(rows.count)
        for row in rows {
            guard !row.member.allSatisfy(\.isWhitespace) else { ignored[.emptyMember, default: 0] += 1; continue }
            guard let day = Day(parsing: row.day), row.day.utf8.count == 10 else {
                ignored[.invalidDay, default: 0] += 1; continue
            }
            guard let key = CounterKey(row.key) else { ignored[.unknownKey, default: 0] += 1; continue }
            guard row.value >= 0 else { ignored[.negativeValue, default: 0] += 1; continue }
            let counter = ParsedCounter(member: row.member, day: day, key: key, value: row.value)
            let identity = RowIdentity(member: row.member, day: day, key: key)
            if let earlier = position[identity] {
                counters[earlier] = counter
            } else {
                position[identity] = counters.count
                counters.append(counter)
            }
        }
        self.init(counters: counters, roster: Set(roster.filter { !$0.allSatisfy(\.isWhitespace) }), ignored: ignored)
    }

    init(counters: [ParsedCounter], roster: Set<String>, ignored: [IgnoredRowReason: Int]) {
        self.counters = counters
        self.ignoredRows = ignored
        let byMember = Dictionary(grouping: counters, by: \.member)
        let allMembers = roster.union(byMember.keys).sorted()
        members = allMembers
        perMember = Dictionary(uniqueKeysWithValues: allMembers.map {
            ($0, CounterSummary(counters: byMember[$0] ?? []))
        })
        let byDay = Dictionary(grouping: counters, by: \.day)
        days = byDay.keys.sorted().map(\.description)
        perDay = Dictionary(uniqueKeysWithValues: byDay.map { ($0.key.description, CounterSummary(counters: $0.value)) })
        let byMonth = Dictionary(grouping: counters) { CalendarMonth(containing: $0.day) }
        months = byMonth.keys.sorted().map(\.description)
        perMonth = Dictionary(uniqueKeysWithValues: byMonth.map { ($0.key.description, CounterSummary(counters: $0.value)) })
        total = CounterSummary(counters: counters)
    }

    /// The same statistics for one month (`YYYY-MM`), keeping every member.
    public func restricted(toMonth month: String) throws(ReportingError) -> AllianceStatistics {
        guard let parsed = CalendarMonth(parsing: month) else { throw .invalidMonth }
        return restricted(to: parsed.firstDay...parsed.lastDay)
    }

    /// The same statistics for the days from `first` through `last` (`YYYY-MM-DD`), keeping every member.
    public func restricted(from first: String, through last: String) throws(ReportingError) -> AllianceStatistics {
        guard let start = Day(parsing: first), let end = Day(parsing: last), start <= end else { throw .invalidDayRange }
        return restricted(to: start...end)
    }

    func restricted(to range: ClosedRange<Day>) -> AllianceStatistics {
        AllianceStatistics(counters: counters.filter { range.contains($0.day) }, roster: Set(members), ignored: ignoredRows)
    }

    /// One member's summary (empty for an unknown member).
    public func summary(member: String) -> CounterSummary { perMember[member] ?? CounterSummary() }

    /// Matches other members' screening found against this member's entries (`matches.origin.<member>`
    /// as every member reported it), i.e. what the member's published entries contributed.
    public func hitsOnEntries(of member: String) -> Int { total.matchesByOrigin[member, default: 0] }

    /// Self-check of the aggregation: per-member summaries must add up to the total, and per-day and
    /// per-month flows must add up to the total too. Returns a line per disagreement; empty when all agree.
    public func totalsCheck() -> [String] {
        var problems: [String] = []
        let memberSum = perMember.values.reduce(into: CounterSummary()) { $0.merge(otherMembers: $1) }
        problems += Self.differences(memberSum, total, includingGauges: true, label: "sum over members")
        let daySum = perDay.values.reduce(into: CounterSummary()) { $0.merge(otherMembers: $1) }
        problems += Self.differences(daySum, total, includingGauges: false, label: "sum over days")
        let monthSum = perMonth.values.reduce(into: CounterSummary()) { $0.merge(otherMembers: $1) }
        problems += Self.differences(monthSum, total, includingGauges: false, label: "sum over months")
        if memberSum.memberDaysReported != total.memberDaysReported {
            problems.append("sum over members: member-days \(memberSum.memberDaysReported) ≠ \(total.memberDaysReported)")
        }
        return problems
    }

    static func differences(_ sum: CounterSummary, _ total: CounterSummary, includingGauges: Bool,
                                    label: String) -> [String] {
        let keys = Set(sum.nonZeroCounters.map(\.key)).union(total.nonZeroCounters.map(\.key))
        return keys.filter { includingGauges || !$0.isGauge }
            .filter { sum.value(of: $0) != total.value(of: $0) }
            .map { "\(label): \($0.name) \(sum.value(of: $0)) ≠ total \(total.value(of: $0))" }
            .sorted()
    }

    private struct RowIdentity: Hashable {
        let member: String
        let day: Day
        let key: CounterKey
    }
}

extension CounterSummary {
    /// Adds a summary of *other* members (gauges add too, since they belong to different members).
    mutating func merge(otherMembers other: CounterSummary) {
        for (key, value) in other.nonZeroCounters { add(key, value) }
        memberDaysReported += other.memberDaysReported
        membersReporting += other.membersReporting
    }
}
