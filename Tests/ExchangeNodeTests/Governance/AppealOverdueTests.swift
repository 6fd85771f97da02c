import AllianceTestSupport
import ExchangeProtocol
import Foundation
import NodeTestSupport
import Testing

@testable import ExchangeNode
@testable import ExchangeRuntime

/// Overdue appeals: flagged in listings, counted once in `appeals.overdue`, decided ones never.
@Suite("Appeal deadlines at the origin", .serialized)
struct AppealOverdueTests {
    @Test("an open appeal past its deadline is flagged and counted once; a decided one is not")
    func overdueSweep() throws {
        let alliance = try TestAlliance("governance", nodes: ["alpha-mall", "beta-rides"])
        defer { alliance.shutdown() }
        try alliance.importEntries("beta-rides", ["BR-1,black,brushing,1,phone,13912340001", "BR-2,black,brushing,1,phone,13912340002"])
        let origin = alliance.context("beta-rides")
        let today = NodeClock.today()
        let monthAgo = today.adding(days: -30)
        let intake = AppealIntake(context: origin)
        func file(_ entry: String, on day: Day) throws -> Appeal {
            try intake.receive(AppealSubmission(appealID: AppealID.make(), entryID: entry, reason: "listed in error",
                                                filedAt: "\(day)T09:00:00.000Z"),
                               from: "alpha-mall", visibility: PeerVisibility(lists: ListKind.allCases), today: day).appeal
        }
        let late = try file("BR-1", on: monthAgo)
        let decided = try file("BR-2", on: monthAgo)
        let fresh = try file("BR-2", on: today)
        #expect(late.deadline == WorkingDays.deadline(from: monthAgo, workingDays: 15))
        #expect(late.deadline < today && fresh.deadline > today)
        _ = try AppealDecision(context: origin).resolve(appealID: decided.id, verdict: .reject, reason: "evidence insufficient")

        let flagged = try AppealDeadlines.sweep(origin, today: today)
        #expect(flagged.map(\.id) == [late.id])
        #expect(try todaysCounters(origin)["appeals.overdue"] == 1)
        #expect(try AppealDeadlines.sweep(origin, today: today).isEmpty, "counted once")
        #expect(try todaysCounters(origin)["appeals.overdue"] == 1)

        let incoming = try origin.store.read { db in try AppealTable.list(direction: .incoming, db) }
        let text = AppealListing.text(incoming: incoming, outgoing: [], today: today)
        let overdueLines = text.split(separator: "\n").filter { $0.contains("OVERDUE") }
        #expect(overdueLines.count == 1 && overdueLines.first?.contains(late.id) == true)
        #expect(text.contains("1 overdue"))
        #expect(AppealListing.jsonLine(late, today: today).contains(#""overdue":"yes""#))
        #expect(AppealListing.jsonLine(fresh, today: today).contains(#""overdue":"no""#))

        // Deciding it late still works and is counted as an outcome.
        _ = try AppealDecision(context: origin).resolve(appealID: late.id, verdict: .uphold, reason: nil)
        let counters = try todaysCounters(origin)
        #expect(counters["appeals.upheld"] == 1 && counters["appeals.rejected"] == 1)
        // The filed counts landed on the day each appeal arrived.
        let monthAgoCounters = try origin.store.read { db in try DailyCounters.read(day: monthAgo, db) }
        #expect(monthAgoCounters["appeals.filed"] == 2 && counters["appeals.filed"] == 1)
    }

    @Test("the deadline follows the node's configured number of working days")
    func configuredDeadline() throws {
        let alliance = try TestAlliance("governance", nodes: ["alpha-mall", "beta-rides"])
        defer { alliance.shutdown() }
        let home = alliance.home("beta-rides")
        var config = try NodeConfig.load(from: home)
        config.appealDeadlineWorkingDays = 3
        try config.save(to: home)
        try alliance.reopen("beta-rides")
        try alliance.importEntries("beta-rides", ["BR-1,black,brushing,1,phone,13912340001"])
        let friday = Day(year: 2026, month: 11, day: 27)!
        let appeal = try AppealIntake(context: alliance.context("beta-rides")).receive(
            AppealSubmission(appealID: AppealID.make(), entryID: "BR-1", reason: "listed in error", filedAt: "2026-11-27T09:00:00Z"),
            from: "alpha-mall", visibility: PeerVisibility(lists: ListKind.allCases), today: friday).appeal
        #expect(appeal.deadline == Day(year: 2026, month: 12, day: 2))  // Mon, Tue, Wed
    }
}
