import ExchangeProtocol

/// All counters of one slice of the data (a day, a month, a member, everything), added up.
///
/// Flows add over days and members. The two gauges (`entriesPublished`, `appealsOverdue`) take, for each
/// member, the value on the last day that member reported in the slice, then add over members.
public struct CounterSummary: Sendable, Hashable {
    public var screened = 0
    public var matches = 0
    /// Sum of the daily `distinct_entries` counts: an entry matched on several days or by several
    /// members counts once per day and member, so this is an upper bound on distinct entries.
    public var distinctEntries = 0
    /// Matches by the member whose entry matched.
    public var matchesByOrigin: [String: Int] = [:]
    public var matchesByList: [String: Int] = [:]
    public var matchesByCategory: [String: Int] = [:]
    public var matchesBySeverity: [Int: Int] = [:]
    public var matchesByMeasure: [String: Int] = [:]
    public var retractions = 0
    public var revocations = 0
    public var revocationsByReason: [String: Int] = [:]
    public var appealsFiled = 0
    public var appealsUpheld = 0
    public var appealsRejected = 0
    /// Gauge: own active entries at the end of each member's last reported day.
    public var entriesPublished = 0
    /// Gauge: appeals past their deadline at the end of each member's last reported day.
    public var appealsOverdue = 0
    /// (member, day) pairs with at least one counter.
    public var memberDaysReported = 0
    /// Members with at least one counter.
    public var membersReporting = 0

    public init() {}

    /// Adds up counters, gauges taken from each member's last reported day.
    init(counters: some Collection<ParsedCounter>) {
        var lastDay: [String: Day] = [:]
        var memberDays = Set<MemberDay>()
        for counter in counters {
            memberDays.insert(MemberDay(member: counter.member, day: counter.day))
            if let seen = lastDay[counter.member], seen >= counter.day { continue }
            lastDay[counter.member] = counter.day
        }
        for counter in counters where !counter.key.isGauge || lastDay[counter.member] == counter.day {
            add(counter.key, counter.value)
        }
        memberDaysReported = memberDays.count
        membersReporting = lastDay.count
    }

    /// The value of one counter in this summary (0 when absent).
    public func value(of key: CounterKey) -> Int {
        switch key {
        case .screened: screened
        case .matches: matches
        case .distinctEntries: distinctEntries
        case .matchesByOrigin(let member): matchesByOrigin[member, default: 0]
        case .matchesByList(let list): matchesByList[list, default: 0]
        case .matchesByCategory(let category): matchesByCategory[category, default: 0]
        case .matchesBySeverity(let severity): matchesBySeverity[severity, default: 0]
        case .matchesByMeasure(let measure): matchesByMeasure[measure, default: 0]
        case .retractions: retractions
        case .revocations: revocations
        case .revocationsByReason(let reason): revocationsByReason[reason, default: 0]
        case .entriesPublished: entriesPublished
        case .appealsFiled: appealsFiled
        case .appealsUpheld: appealsUpheld
        case .appealsRejected: appealsRejected
        case .appealsOverdue: appealsOverdue
        }
    }

    /// Every counter with a non-zero value, core counters first, then breakdowns in a stable order.
    public var nonZeroCounters: [(key: CounterKey, value: Int)] {
        var keys: [CounterKey] = [.screened, .matches, .distinctEntries, .retractions, .revocations,
                                  .entriesPublished, .appealsFiled, .appealsUpheld, .appealsRejected, .appealsOverdue]
        keys += matchesByOrigin.keys.sorted().map { .matchesByOrigin(member: $0) }
        keys += matchesByList.keys.sorted { Self.listOrder($0) < Self.listOrder($1) }.map { .matchesByList($0) }
        keys += matchesByCategory.keys.sorted(by: Self.categoryOrder).map { .matchesByCategory($0) }
        keys += matchesBySeverity.keys.sorted().map { .matchesBySeverity($0) }
        keys += matchesByMeasure.keys.sorted { MeasureNames.order(of: $0) < MeasureNames.order(of: $1) }
            .map { .matchesByMeasure($0) }
        keys += revocationsByReason.keys.sorted().map { .revocationsByReason($0) }
        return keys.map { ($0, value(of: $0)) }.filter { $0.value != 0 }
    }

    /// Categories by matches, largest first (ties by code).
    public var categoriesByMatches: [(code: String, matches: Int)] {
        matchesByCategory.filter { $0.value > 0 }
            .sorted { $0.value != $1.value ? $0.value > $1.value : $0.key < $1.key }
            .map { ($0.key, $0.value) }
    }

    /// Matches not attributed to any category (nodes that send no category breakdown); never negative.
    public var unclassifiedMatches: Int { max(0, matches - matchesByCategory.values.reduce(0, +)) }

    mutating func add(_ key: CounterKey, _ value: Int) {
        switch key {
        case .screened: screened += value
        case .matches: matches += value
        case .distinctEntries: distinctEntries += value
        case .matchesByOrigin(let member): matchesByOrigin[member, default: 0] += value
        case .matchesByList(let list): matchesByList[list, default: 0] += value
        case .matchesByCategory(let category): matchesByCategory[category, default: 0] += value
        case .matchesBySeverity(let severity): matchesBySeverity[severity, default: 0] += value
        case .matchesByMeasure(let measure): matchesByMeasure[measure, default: 0] += value
        case .retractions: retractions += value
        case .revocations: revocations += value
        case .revocationsByReason(let reason): revocationsByReason[reason, default: 0] += value
        case .entriesPublished: entriesPublished += value
        case .appealsFiled: appealsFiled += value
        case .appealsUpheld: appealsUpheld += value
        case .appealsRejected: appealsRejected += value
        case .appealsOverdue: appealsOverdue += value
        }
    }

    static func listOrder(_ list: String) -> Int { CounterKey.lists.firstIndex(of: list) ?? CounterKey.lists.count }

    static func categoryOrder(_ lhs: String, _ rhs: String) -> Bool {
        let (left, right) = (CategoryNames.order(of: lhs), CategoryNames.order(of: rhs))
        return left != right ? left < right : lhs < rhs
    }
}
