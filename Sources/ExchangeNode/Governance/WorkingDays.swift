import ExchangeProtocol

/// Working-day arithmetic for appeal deadlines: Monday to Friday count, Saturday and Sunday do
/// not. Public holidays are not modelled (an alliance that needs them raises
/// `appealDeadlineWorkingDays` instead).
enum WorkingDays {
    /// 0 = Monday ... 6 = Sunday (1970-01-01, ordinal 0, was a Thursday).
    static func weekday(_ day: Day) -> Int {
        let ordinal = Int(day.ordinal)
        return ((ordinal % 7) + 7 + 3) % 7
    }

    static func isWorkingDay(_ day: Day) -> Bool { weekday(day) < 5 }

    /// The day on which `count` working days after `start` have passed: filed on a Monday with
    /// count 1 → Tuesday; filed on a Friday or a Saturday with count 1 → the next Monday.
    /// A count of 0 or less gives `start` itself.
    static func deadline(from start: Day, workingDays count: Int) -> Day {
        var day = start
        var remaining = count
        while remaining > 0 {
            day = day.adding(days: 1)
            if isWorkingDay(day) { remaining -= 1 }
        }
        return day
    }
}
