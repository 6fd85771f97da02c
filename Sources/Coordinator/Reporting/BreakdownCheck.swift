/// A member whose breakdown counters do not add up to the counter they break down
/// (e.g. `matches.category.*` summing to less than `matches`): a data-quality problem at that node.
public struct BreakdownMismatch: Sendable, Hashable {
    public let member: String
    /// The breakdown's key prefix, e.g. `matches.category`.
    public let breakdown: String
    /// The counter broken down (`matches` or `revocations`) over the period.
    public let expected: Int
    /// What the breakdown adds up to.
    public let found: Int
}

extension AllianceStatistics {
    /// Members whose origin, list, category or severity breakdown does not add up to `matches`, or whose
    /// revocation reasons do not add up to `revocations`, over the whole period of these statistics.
    /// (Measures are not checked: one match can carry several measures, or none on the red list.)
    public func breakdownMismatches() -> [BreakdownMismatch] {
        members.flatMap { member -> [BreakdownMismatch] in
            let summary = summary(member: member)
            let checks: [(String, Int, Int)] = [
                ("matches.origin", summary.matches, summary.matchesByOrigin.values.reduce(0, +)),
                ("matches.list", summary.matches, summary.matchesByList.values.reduce(0, +)),
                ("matches.category", summary.matches, summary.matchesByCategory.values.reduce(0, +)),
                ("matches.severity", summary.matches, summary.matchesBySeverity.values.reduce(0, +)),
                ("revocations.reason", summary.revocations, summary.revocationsByReason.values.reduce(0, +)),
            ]
            return checks.filter { $0.1 != $0.2 }
                .map { BreakdownMismatch(member: member, breakdown: $0.0, expected: $0.1, found: $0.2) }
        }
    }
}
