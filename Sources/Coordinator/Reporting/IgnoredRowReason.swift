import ExchangeProtocol

/// Why a reported row was left out of the statistics.
public enum IgnoredRowReason: String, Sendable, Hashable, CaseIterable, Codable {
    case emptyMember = "empty-member"
    case invalidDay = "invalid-day"
    case unknownKey = "unknown-key"
    case negativeValue = "negative-value"
}
