import AllianceTestSupport
import ExchangeCrypto
import ExchangeProtocol
import Foundation
import NodeTestSupport
import Testing

@testable import ExchangeNode

@Suite("Appeal deadlines")
struct WorkingDaysTests {
    @Test("weekdays of known dates")
    func weekdays() throws {
        #expect(WorkingDays.weekday(Day(year: 1970, month: 1, day: 1)!) == 3)  // Thursday
        #expect(WorkingDays.weekday(Day(year: 2026, month: 11, day: 23)!) == 0)  // Monday
        #expect(WorkingDays.weekday(Day(year: 2026, month: 11, day: 29)!) == 6)  // Sunday
        #expect(WorkingDays.weekday(Day(year: 1969, month: 12, day: 31)!) == 2)  // Wednesday, before the epoch
    }

    @Test("N working days skip weekends")
    func deadlines() throws {
        let monday = Day(year: 2026, month: 11, day: 23)!
        #expect(WorkingDays.deadline(from: monday, workingDays: 1) == Day(year: 2026, month: 11, day: 24))
        #expect(WorkingDays.deadline(from: monday, workingDays: 5) == Day(year: 2026, month: 11, day: 30))
        #expect(WorkingDays.deadline(from: monday, workingDays: 15) == Day(year: 2026, month: 12, day: 14))
        let friday = Day(year: 2026, month: 11, day: 27)!
        #expect(WorkingDays.deadline(from: friday, workingDays: 1) == Day(year: 2026, month: 11, day: 30))
        let saturday = Day(year: 2026, month: 11, day: 28)!
        #expect(WorkingDays.deadline(from: saturday, workingDays: 1) == Day(year: 2026, month: 11, day: 30))
        #expect(WorkingDays.deadline(from: saturday, workingDays: 0) == saturday)
        // Every deadline is a working day and exactly N working days follow the start.
        for offset in 0..<14 {
            let start = monday.adding(days: offset)
            for n in 1...20 {
                let end = WorkingDays.deadline(from: start, workingDays: n)
                #expect(WorkingDays.isWorkingDay(end))
                let counted = (1...Int(end.ordinal - start.ordinal)).filter { WorkingDays.isWorkingDay(start.adding(days: $0)) }.count
                #expect(counted == n)
            }
        }
    }
}
