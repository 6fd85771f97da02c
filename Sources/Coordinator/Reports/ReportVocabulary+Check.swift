import ExchangeProtocol

extension ReportVocabulary {
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
