import ExchangeProtocol

/// A `CounterRow` whose day and key were understood.
struct ParsedCounter: Sendable, Hashable {
    let member: String
    let day: Day
    let key: CounterKey
    let value: Int
}

/// Why a reported row was left out of the statistics.
public enum IgnoredRowReason: String, Sendable, Hashable, CaseIterable, Codable {
    case emptyMember = "empty-member"
    case invalidDay = "invalid-day"
    case unknownKey = "unknown-key"
    case negativeValue = "negative-value"
}
