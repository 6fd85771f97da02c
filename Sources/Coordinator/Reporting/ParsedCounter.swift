import ExchangeProtocol

/// A `CounterRow` whose day and key were understood.
struct ParsedCounter: Sendable, Hashable {
    let member: String
    let day: Day
    let key: CounterKey
    let value: Int
}
