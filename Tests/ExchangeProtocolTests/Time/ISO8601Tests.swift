import Testing

@testable import ExchangeProtocol

/// The one ISO 8601 formatter and parser: audit records, outbox and appeal timestamps, report and
/// revocation-list dates, and what operators type after `--since`.
@Suite("ISO 8601 timestamps")
struct ISO8601Tests {
    @Test("times are formatted in UTC with milliseconds and parsed in the forms operators type")
    func times() {
        #expect(ISO8601.format(millis: 0) == "1970-01-01T00:00:00.000Z")
        #expect(ISO8601.format(millis: 1_795_463_340_123) == "2026-11-23T19:49:00.123Z")
        #expect(ISO8601.parse("2026-11-23T19:49:00.123Z", lenient: true) == 1_795_463_340_123)
        #expect(ISO8601.parse("2026-11-24T03:49:00.123+08:00", lenient: true) == 1_795_463_340_123)
        #expect(ISO8601.parse("2026-11-23", lenient: true) == 1_795_392_000_000)
        #expect(ISO8601.parse("2026-11-23T19:49", lenient: true) == 1_795_463_340_000)
        #expect(ISO8601.parse("2026-11-23T19:49:00.5", lenient: true) == 1_795_463_340_500)
        for bad in ["", "2026-13-01", "yesterday", "2026-11-23T25:00", "2026-11-23Tx"] { #expect(ISO8601.parse(bad, lenient: true) == nil) }
        #expect(ISO8601.parse("2026-02-30", lenient: true) == nil)
    }

    @Test("ISO 8601 timestamps read back")
    func timestamps() {
        for millis: Int64 in [0, 1_795_000_000_123, 1_795_000_000_000, 86_399_999] {
            #expect(ISO8601.parse(ISO8601.format(millis: millis)) == millis)
        }
        #expect(ISO8601.parse("2026-11-23T10:00:00Z") == ISO8601.parse("2026-11-23T10:00:00.000Z"))
        #expect(ISO8601.parse("2026-11-23 10:00:00Z") == nil)
        #expect(ISO8601.parse("2026-11-23T25:00:00Z") == nil)
    }

    @Test("seconds precision, as revocation lists and token keys carry, and the report minute")
    func otherForms() {
        #expect(ISO8601.format(seconds: 1_795_463_340) == "2026-11-23T19:49:00Z")
        #expect(ISO8601.parse("2026-11-23T19:49:00Z") == 1_795_463_340_000)
        #expect(ISO8601.minuteUTC(millis: 1_527_926_700_999) == "2018-06-02 08:05 UTC")
        #expect(ISO8601.format(millis: -1) == "1969-12-31T23:59:59.999Z")
    }
}
