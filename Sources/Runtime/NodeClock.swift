import ExchangeProtocol
import Foundation

/// The time, in one place, for node and coordinator alike: milliseconds since the epoch and the UTC day.
package enum NodeClock {
    package static func nowMillis() -> Int64 { Int64(Date().timeIntervalSince1970 * 1000) }
    package static func today() -> Day { Day.utc(unixSeconds: Int64(Date().timeIntervalSince1970)) }
}
