import ExchangeCrypto
import Foundation

/// Synthetic but valid data: distinct mainland mobile numbers.
enum BenchData {
    /// The i-th number in +86 139 xxxx xxxx (entries) — distinct for i < 10^8.
    static func phone(_ index: Int) -> String { "+86139" + eightDigits(index) }
    /// The i-th number in +86 158 xxxx xxxx (accounts that match nothing).
    static func otherPhone(_ index: Int) -> String { "+86158" + eightDigits(index) }

    static func eightDigits(_ value: Int) -> String {
        var digits = [UInt8](repeating: 48, count: 8)
        var rest = value % 100_000_000
        for position in stride(from: 7, through: 0, by: -1) {
            digits[position] = UInt8(48 + rest % 10)
            rest /= 10
        }
        return String(decoding: digits, as: UTF8.self)
    }
}
