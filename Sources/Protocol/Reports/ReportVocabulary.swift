import ExchangeProtocol

/// The counter names and values a daily report may carry, so that a report cannot smuggle data:
/// every name must be one ``CounterKey`` understands, written exactly as ``CounterKey/name``
/// writes it, with a category from the protocol's vocabulary and an origin that is a member id
/// (on the coordinator: a registered node); every value a count from 0 to ``maximumValue`` —
/// below the 11 digits of a mobile number, an identity number or a card number.
public enum ReportVocabulary {
    /// The largest count accepted (10^10 − 1).
    public static let maximumValue = 9_999_999_999
    /// The most counters one report may hold.
    public static let maximumCounters = 1024

    /// Whether `name` is in the vocabulary. `origins` restricts `matches.origin.<ID>` to those ids
    /// (nil: any valid member id).
    public static func accepts(_ name: String, origins: Set<String>? = nil) -> Bool {
        guard let key = CounterKey(name), key.name == name else { return false }
        switch key {
        case .matchesByOrigin(let member):
            guard (try? MemberID(member)) != nil else { return false }
            return origins.map { $0.contains(member) } ?? true
        case .matchesByCategory(let code):
            return Category(rawValue: code) != nil
        default:
            return true
        }
    }

    /// Checks a received report against the vocabulary; returns its day.
    /// - Parameters:
    ///   - origins: the registered nodes, the only valid `matches.origin.<ID>`.
    ///   - today: the coordinator's UTC day; a report may be for tomorrow at the latest (clock skew).
    static func check(_ report: DailyReport, origins: Set<String>, today: Day) throws(ReportRefusal) -> Day {
        guard report.day.utf8.count == 10, let day = Day(parsing: report.day), day.description == report.day else {
            throw .invalidDay
        }
        guard day <= today.adding(days: 1) else { throw .futureDay }
        guard report.counters.count <= maximumCounters else { throw .tooManyCounters(report.counters.count) }
        let names = report.counters.keys.sorted { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }
        for (index, name) in names.enumerated() {
            let position = index + 1
            guard accepts(name) else { throw .unknownCounter(position: position) }
            guard accepts(name, origins: origins) else { throw .unknownOrigin(position: position) }
            guard (0...maximumValue).contains(report.counters[name]!) else { throw .valueOutOfRange(position: position) }
        }
        return day
    }
}
