/// Why a statistics or report request was refused. Descriptions name the parameter, never echo input.
public enum ReportingError: Error, Sendable, Hashable, CustomStringConvertible {
    /// A month parameter was not a real `YYYY-MM` month.
    case invalidMonth
    /// A day parameter was not a real `YYYY-MM-DD` date, or a range ended before it started.
    case invalidDayRange

    public var description: String {
        switch self {
        case .invalidMonth: "month must be a calendar month written YYYY-MM"
        case .invalidDayRange: "day range must be two YYYY-MM-DD dates, the first not after the second"
        }
    }
}
