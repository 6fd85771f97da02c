import Crypto
import Foundation
import SwiftASN1
import X509

/// Calendar arithmetic for certificate validity periods (UTC, Gregorian).
enum ValidityPeriod {
    static func adding(years: Int, to date: Date) -> Date {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(identifier: "UTC")!
        return calendar.date(byAdding: .year, value: years, to: date) ?? date + Double(years) * 365.25 * 86_400
    }
}
