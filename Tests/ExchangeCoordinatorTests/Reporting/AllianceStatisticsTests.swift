import ExchangeProtocol
import Testing

@testable import ExchangeCoordinator

@Suite struct AllianceStatisticsTests {
    typealias F = ReportingFixtures

    @Test func totalsAddUpEverything() {
        let total = F.statistics.total
        #expect(total.screened == 900 + 1000 + 500 + 300 + 7777)
        #expect(total.matches == 2 + 10 + 6 + 4 + 77)
        #expect(total.distinctEntries == 8 + 5 + 4)
        #expect(total.revocations == 2)
        #expect(total.revocationsByReason == ["erroneous": 1, "expired": 1])
        #expect(total.retractions == 1)
        #expect(total.appealsFiled == 3 && total.appealsUpheld == 1 && total.appealsRejected == 1)
        #expect(total.matchesByCategory == ["fake-reviews": 12, "brushing": 5, "trustworthy": 1, "counterfeiting": 4])
        #expect(total.matchesByOrigin == ["alpha": 16, "beta": 4])
        #expect(total.matchesByList == ["black": 19, "red": 1])
        #expect(total.matchesBySeverity == [1: 7, 2: 7, 3: 6])
        #expect(total.matchesByMeasure == ["M5": 9, "M3": 3])
        #expect(total.membersReporting == 2)
        #expect(total.memberDaysReported == 5)
    }

    @Test func perMemberSumsEqualTotalsAndSelfCheckPasses() {
        let statistics = F.statistics
        #expect(statistics.totalsCheck().isEmpty)
        let memberScreened = statistics.members.map { statistics.summary(member: $0).screened }.reduce(0, +)
        let memberMatches = statistics.members.map { statistics.summary(member: $0).matches }.reduce(0, +)
        #expect(memberScreened == statistics.total.screened)
        #expect(memberMatches == statistics.total.matches)
        let dayMatches = statistics.perDay.values.map(\.matches).reduce(0, +)
        let monthMatches = statistics.perMonth.values.map(\.matches).reduce(0, +)
        #expect(dayMatches == statistics.total.matches && monthMatches == statistics.total.matches)
    }

    @Test func gaugesTakeEachMembersLastDay() throws {
        let may = try F.statistics.restricted(toMonth: "2018-05")
        // alpha ends May at 48 published and 0 overdue; beta's last May day has 30 and 2.
        #expect(may.summary(member: "alpha").entriesPublished == 48)
        #expect(may.summary(member: "alpha").appealsOverdue == 0)
        #expect(may.total.entriesPublished == 48 + 30)
        #expect(may.total.appealsOverdue == 2)
        #expect(may.perDay["2018-05-01"]?.entriesPublished == 50 + 30)
        #expect(may.totalsCheck().isEmpty)
    }

    @Test func monthFilteringKeepsOnlyThatMonthAndEveryMember() throws {
        let may = try F.statistics.restricted(toMonth: "2018-05")
        #expect(may.total.screened == 1800)
        #expect(may.total.matches == 20)
        #expect(may.days == ["2018-05-01", "2018-05-02"])
        #expect(may.months == ["2018-05"])
        #expect(may.members == ["alpha", "beta", "gamma"])
        #expect(may.summary(member: "gamma") == CounterSummary())
        #expect(may.hitsOnEntries(of: "beta") == 4)
        let april = try F.statistics.restricted(toMonth: "2018-04")
        #expect(april.total.matches == 2 && april.total.screened == 900)
        #expect(F.statistics.perMonth["2018-06"]?.screened == 7777)
        #expect(throws: ReportingError.invalidMonth) { try F.statistics.restricted(toMonth: "2018-13") }
        #expect(throws: ReportingError.invalidMonth) { try F.statistics.restricted(toMonth: "May") }
        #expect(throws: ReportingError.invalidDayRange) { try F.statistics.restricted(from: "2018-05-02", through: "2018-05-01") }
        #expect(try F.statistics.restricted(from: "2018-05-02", through: "2018-06-30").total.matches == 6 + 77)
    }

    @Test func badRowsAreCountedNotAdded() {
        let statistics = AllianceStatistics(rows: [
            F.row("alpha", "2018-05-01", "screened", 10),
            F.row(" ", "2018-05-01", "screened", 10),
            F.row("alpha", "2018-02-30", "screened", 10),
            F.row("alpha", "not a day", "screened", 10),
            F.row("alpha", "2018-05-01", "matches.measure.M14", 1),
            F.row("alpha", "2018-05-01", "matches.list.grey", 1),
            F.row("alpha", "2018-05-01", "matches.severity.4", 1),
            F.row("alpha", "2018-05-01", "phone", 1),
            F.row("alpha", "2018-05-01", "matches", -3),
        ])
        #expect(statistics.total.screened == 10)
        #expect(statistics.total.matches == 0)
        #expect(statistics.ignoredRows == [.emptyMember: 1, .invalidDay: 2, .unknownKey: 4, .negativeValue: 1])
        #expect(statistics.members == ["alpha"])
    }

    @Test func aResentDayReplacesTheEarlierRow() {
        let statistics = AllianceStatistics(rows: [
            F.row("alpha", "2018-05-01", "screened", 10),
            F.row("alpha", "2018-05-01", "screened", 25),
            F.row("alpha", "2018-05-02", "screened", 5),
        ])
        #expect(statistics.total.screened == 30)
    }

    @Test func unknownCategoryCodesStillCount() {
        let statistics = AllianceStatistics(rows: [
            F.row("alpha", "2018-05-01", "matches", 3),
            F.row("alpha", "2018-05-01", "matches.category.new-kind", 3),
        ])
        #expect(statistics.total.matchesByCategory == ["new-kind": 3])
        #expect(statistics.total.unclassifiedMatches == 0)
    }

    @Test func breakdownsThatDoNotAddUpAreReported() throws {
        let may = try F.statistics.restricted(toMonth: "2018-05")
        #expect(may.breakdownMismatches().isEmpty)
        let broken = AllianceStatistics(rows: [
            F.row("alpha", "2018-05-01", "matches", 5),
            F.row("alpha", "2018-05-01", "matches.category.brushing", 3),
            F.row("alpha", "2018-05-01", "matches.origin.alpha", 5),
            F.row("alpha", "2018-05-01", "matches.list.black", 5),
            F.row("alpha", "2018-05-01", "matches.severity.1", 5),
        ])
        #expect(broken.breakdownMismatches() == [
            BreakdownMismatch(member: "alpha", breakdown: "matches.category", expected: 5, found: 3),
        ])
        #expect(broken.total.unclassifiedMatches == 2)
    }

    @Test func counterKeysRoundTrip() {
        let names = ["screened", "matches", "distinct_entries", "matches.origin.jd", "matches.list.watch",
                     "matches.category.empty-parcel", "matches.severity.3", "matches.measure.M13", "retractions",
                     "revocations", "revocations.reason.appeal-upheld", "entries.published", "appeals.filed",
                     "appeals.upheld", "appeals.rejected", "appeals.overdue"]
        for name in names { #expect(CounterKey(name)?.name == name) }
        #expect(CounterKey("matches.category.Bad Code") == nil)
        #expect(CounterKey("matches.origin.") == nil)
    }

    @Test func namesCoverTheVocabulary() {
        #expect(MeasureNames.all.map(\.code) == (1...13).map { "M\($0)" })
        #expect(MeasureNames.all.allSatisfy { !$0.english.isEmpty && !$0.chinese.isEmpty })
        #expect(MeasureNames.measure(code: "M7")?.chinese == "限制提供互联网金融服务")
        #expect(Set(CategoryNames.all.map(\.colour)).count == CategoryNames.all.count)
    }
}

@Suite struct ReportingVocabularyTests {
    @Test func categoryNamesFollowTheProtocolsCategories() {
        #expect(CategoryNames.all.map(\.code) == ExchangeProtocol.Category.allCases.map(\.rawValue))
    }

    @Test func revocationReasonsFollowTheProtocol() {
        #expect(Set(CounterKey.revocationReasons) == Set(RevocationReason.allCases.map(\.rawValue)))
    }

    @Test func totalsCheckNoticesADifference() {
        var sum = CounterSummary()
        sum.add(.matches, 5)
        sum.add(.entriesPublished, 9)
        var total = CounterSummary()
        total.add(.matches, 6)
        total.add(.entriesPublished, 1)
        #expect(AllianceStatistics.differences(sum, total, includingGauges: false, label: "x") == ["x: matches 5 ≠ total 6"])
        #expect(AllianceStatistics.differences(sum, total, includingGauges: true, label: "x").count == 2)
        #expect(AllianceStatistics.differences(total, total, includingGauges: true, label: "x").isEmpty)
    }
}
