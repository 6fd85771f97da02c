
@testable import ExchangeCoordinator

/// Small hand-made counter sets whose totals are easy to check by hand.
enum ReportingFixtures {
    static func row(_ member: String, _ day: String, _ key: String, _ value: Int) -> CounterRow {
        CounterRow(member: member, day: day, key: key, value: value)
    }

    /// Two members over April and May 2018, plus a silent roster member `gamma`.
    ///
    /// May totals: screened 1000+500+300 = 1800, matches 10+6+4 = 20.
    static let rows: [CounterRow] = [
        // alpha, April: 2 fake-review matches.
        row("alpha", "2018-04-30", "screened", 900), row("alpha", "2018-04-30", "matches", 2),
        row("alpha", "2018-04-30", "matches.category.fake-reviews", 2), row("alpha", "2018-04-30", "entries.published", 40),
        // alpha, May 1: 10 matches, 4 of them on beta's entries.
        row("alpha", "2018-05-01", "screened", 1000), row("alpha", "2018-05-01", "matches", 10),
        row("alpha", "2018-05-01", "distinct_entries", 8),
        row("alpha", "2018-05-01", "matches.origin.alpha", 6), row("alpha", "2018-05-01", "matches.origin.beta", 4),
        row("alpha", "2018-05-01", "matches.list.black", 9), row("alpha", "2018-05-01", "matches.list.red", 1),
        row("alpha", "2018-05-01", "matches.category.brushing", 5),
        row("alpha", "2018-05-01", "matches.category.fake-reviews", 4),
        row("alpha", "2018-05-01", "matches.category.trustworthy", 1),
        row("alpha", "2018-05-01", "matches.severity.1", 7), row("alpha", "2018-05-01", "matches.severity.2", 3),
        row("alpha", "2018-05-01", "matches.measure.M5", 9), row("alpha", "2018-05-01", "matches.measure.M3", 3),
        row("alpha", "2018-05-01", "entries.published", 50), row("alpha", "2018-05-01", "appeals.overdue", 1),
        // alpha, May 2: 6 matches, 2 revocations, overdue gone.
        row("alpha", "2018-05-02", "screened", 500), row("alpha", "2018-05-02", "matches", 6),
        row("alpha", "2018-05-02", "distinct_entries", 5),
        row("alpha", "2018-05-02", "matches.origin.alpha", 6), row("alpha", "2018-05-02", "matches.list.black", 6),
        row("alpha", "2018-05-02", "matches.category.fake-reviews", 6), row("alpha", "2018-05-02", "matches.severity.3", 6),
        row("alpha", "2018-05-02", "revocations", 2), row("alpha", "2018-05-02", "revocations.reason.erroneous", 1),
        row("alpha", "2018-05-02", "revocations.reason.expired", 1),
        row("alpha", "2018-05-02", "entries.published", 48), row("alpha", "2018-05-02", "appeals.filed", 3),
        row("alpha", "2018-05-02", "appeals.upheld", 1), row("alpha", "2018-05-02", "appeals.rejected", 1),
        // beta, May 1 only: 4 matches, 2 overdue appeals at its last day.
        row("beta", "2018-05-01", "screened", 300), row("beta", "2018-05-01", "matches", 4),
        row("beta", "2018-05-01", "distinct_entries", 4),
        row("beta", "2018-05-01", "matches.origin.alpha", 4), row("beta", "2018-05-01", "matches.list.black", 4),
        row("beta", "2018-05-01", "matches.category.counterfeiting", 4), row("beta", "2018-05-01", "matches.severity.2", 4),
        row("beta", "2018-05-01", "retractions", 1), row("beta", "2018-05-01", "entries.published", 30),
        row("beta", "2018-05-01", "appeals.overdue", 2),
        // June, to be filtered out of May.
        row("beta", "2018-06-01", "screened", 7777), row("beta", "2018-06-01", "matches", 77),
    ]

    static let roster = ["alpha", "beta", "gamma"]

    static var statistics: AllianceStatistics { AllianceStatistics(rows: rows, roster: roster) }
}
