import ExchangeProtocol
import Foundation

/// The time, in one place, for node and coordinator alike: milliseconds since the epoch and the UTC day.
///
/// `EXCHANGE_NODE_DAY_OFFSET=N` moves a process's calendar N days ahead (records' times, "today"
/// for matching, expiry, the watch's day change and masking budgets; never certificate checks):
/// the process-level tests of day changes run real processes "tomorrow" with it.
package enum NodeClock {
    package static let offsetSeconds: Int64 =
        (ProcessInfo.processInfo.environment["EXCHANGE_NODE_DAY_OFFSET"].flatMap(Int64.init) ?? 0) * 86_400

    package static func nowMillis() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) + offsetSeconds * 1000 }
    package static func today() -> Day { Day.utc(unixSeconds: Int64(Date().timeIntervalSince1970) + offsetSeconds) }
}
