import ExchangeProtocol

/// A calendar month, written `YYYY-MM`.
struct CalendarMonth: Hashable, Comparable, Sendable, CustomStringConvertible {
    let year: Int
    let month: Int

    init?(year: Int, month: Int) {
        guard (1...9999).contains(year), (1...12).contains(month) else { return nil }
        self.year = year
        self.month = month
    }

    /// Parses exactly `YYYY-MM`.
    init?(parsing text: String) {
        let bytes = Array(text.utf8)
        guard bytes.count == 7, bytes[4] == UInt8(ascii: "-"),
              bytes.enumerated().allSatisfy({ $0.offset == 4 || ($0.element >= 48 && $0.element <= 57) }),
              let year = Int(text.prefix(4)), let month = Int(text.suffix(2))
        else { return nil }
        self.init(year: year, month: month)
    }

    init(containing day: Day) {
        let parts = day.components
        year = parts.year
        month = parts.month
    }

    var firstDay: Day { Day(year: year, month: month, day: 1)! }
    var lastDay: Day { next.firstDay.adding(days: -1) }
    var days: [Day] { (0...(lastDay.ordinal - firstDay.ordinal)).map { firstDay.adding(days: Int($0)) } }
    var dayCount: Int { Int(lastDay.ordinal - firstDay.ordinal) + 1 }

    var previous: CalendarMonth {
        month == 1 ? CalendarMonth(year: year - 1, month: 12) ?? self : CalendarMonth(year: year, month: month - 1)!
    }

    var next: CalendarMonth {
        month == 12 ? CalendarMonth(year: year + 1, month: 1) ?? self : CalendarMonth(year: year, month: month + 1)!
    }

    /// `2018-05`.
    var description: String { String(year) + "-" + (month < 10 ? "0" : "") + String(month) }
    /// `2018年5月`.
    var chinese: String { "\(year)年\(month)月" }
    /// `May 2018`.
    var english: String {
        let names = ["January", "February", "March", "April", "May", "June", "July", "August",
                     "September", "October", "November", "December"]
        return "\(names[month - 1]) \(year)"
    }

    /// The working day before the 15th of the following month, when seed 002 §六 asks for this month's report.
    /// Weekends are skipped; public holidays are not known here.
    var reportDueDay: Day {
        var day = Day(year: next.year, month: next.month, day: 15)!.adding(days: -1)
        while day.isWeekend { day = day.adding(days: -1) }
        return day
    }

    static func < (lhs: CalendarMonth, rhs: CalendarMonth) -> Bool {
        (lhs.year, lhs.month) < (rhs.year, rhs.month)
    }
}

extension Day {
    /// Saturday or Sunday (1970-01-01 was a Thursday).
    var isWeekend: Bool {
        let weekday = ((Int(ordinal) % 7) + 7 + 3) % 7  // 0 = Monday … 6 = Sunday
        return weekday >= 5
    }
}
