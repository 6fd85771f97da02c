import ArgumentParser
import ExchangeProtocol
import Foundation

/// `--not-before` / `--not-after` (hidden): a chosen validity instead of `--years`, so that tests can
/// issue certificates that are already expired or not yet valid. Not for production use.
struct ValidityOverrideOption: ParsableArguments {
    @Option(name: .customLong("not-before"), help: .hidden)
    var notBefore: String?

    @Option(name: .customLong("not-after"), help: .hidden)
    var notAfter: String?

    /// The chosen interval, nil when neither option is given.
    func interval(now: Date = Date()) throws -> DateInterval? {
        guard notBefore != nil || notAfter != nil else { return nil }
        func date(_ text: String?, _ name: String, default fallback: Date) throws -> Date {
            guard let text else { return fallback }
            guard let millis = ISO8601.parse(text, lenient: true) else {
                throw ValidationError("--\(name) must be an ISO 8601 time, e.g. 2026-01-01T00:00:00Z")
            }
            return Date(timeIntervalSince1970: Double(millis) / 1000)
        }
        let start = try date(notBefore, "not-before", default: now.addingTimeInterval(-300))
        let end = try date(notAfter, "not-after", default: now.addingTimeInterval(2 * 365 * 86_400))
        guard end > start else { throw ValidationError("--not-after must come after --not-before") }
        return DateInterval(start: start, end: end)
    }
}
