/// Proleptic Gregorian calendar checks, without Foundation and without the clock.
enum CalendarDate {
    @inline(__always)
    static func isValid(year: Int, month: Int, day: Int) -> Bool {
        guard month >= 1, month <= 12, day >= 1 else { return false }
        let length: Int
        switch month {
        case 2: length = isLeap(year) ? 29 : 28
        case 4, 6, 9, 11: length = 30
        default: length = 31
        }
        return day <= length
    }

    @inline(__always)
    static func isLeap(_ year: Int) -> Bool {
        (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
    }
}
