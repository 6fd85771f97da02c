import ExchangeProtocol
import Foundation

/// Formats report timestamps in UTC without locale-dependent formatters.
enum ReportClock {
    /// `2018-06-02 08:05 UTC`.
    static func utcMinute(_ date: Date) -> String {
        let seconds = Int64(date.timeIntervalSince1970.rounded(.down))
        let day = Day.utc(unixSeconds: seconds)
        let secondOfDay = Int(seconds - Int64(day.ordinal) * 86_400)
        let hour = secondOfDay / 3600, minute = secondOfDay % 3600 / 60
        return "\(day) \(hour < 10 ? "0" : "")\(hour):\(minute < 10 ? "0" : "")\(minute) UTC"
    }
}
