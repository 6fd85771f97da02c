import AllianceTestSupport
import ExchangeRuntime
import Foundation
import Testing

/// Input files for the fault and hostile tests.
enum FaultFixtures {
    static let header = "entry_id,list,category,severity,kind,identifier,listed_on,expires_on"

    /// `count` single-phone entries `PREFIXi` with numbers 139xxxxxxxx (distinct per prefix letter).
    static func phoneEntries(count: Int, prefix: String, base: Int = 13_900_000_000) -> String {
        var text = header + "\n"
        text.reserveCapacity(count * 64)
        for index in 0..<count {
            text += "\(prefix)\(index),black,brushing,1,phone,\(base + index),2026-01-01,2099-01-01\n"
        }
        return text
    }
}
