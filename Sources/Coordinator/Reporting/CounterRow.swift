/// One counter a member node reported for one day: counts only, never identifiers or tokens.
///
/// `key` is one of the names `CounterKey` understands (`screened`, `matches.category.brushing`, …);
/// a node sends only the non-zero ones, so a missing key on a day the member reported means zero.
public struct CounterRow: Sendable, Hashable, Codable {
    /// The reporting member's id.
    public let member: String
    /// The day counted, `YYYY-MM-DD` (UTC civil date).
    public let day: String
    /// The counter's name.
    public let key: String
    /// The count, never negative.
    public let value: Int

    public init(member: String, day: String, key: String, value: Int) {
        self.member = member
        self.day = day
        self.key = key
        self.value = value
    }
}
