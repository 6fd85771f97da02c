import ExchangeProtocol

/// A member and a day, for counting reporting days.
struct MemberDay: Hashable, Sendable {
    let member: String
    let day: Day
}
