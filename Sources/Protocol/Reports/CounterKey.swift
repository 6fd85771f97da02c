/// The meaning of a counter name a node reports (see `CounterRow`).
///
/// Two keys are gauges, measured at the end of the day rather than counted during it:
/// `entries.published` and `appeals.overdue`. All others are flows that add up over days.
public enum CounterKey: Hashable, Sendable {
    case screened
    case matches
    case distinctEntries
    case matchesByOrigin(member: String)
    case matchesByList(String)
    case matchesByCategory(String)
    case matchesBySeverity(Int)
    case matchesByMeasure(String)
    case retractions
    case revocations
    case revocationsByReason(String)
    case entriesPublished
    case appealsFiled
    case appealsUpheld
    case appealsRejected
    case appealsOverdue

    /// The lists a match can be on.
    public static let lists = ["black", "watch", "red"]
    /// Why an entry was revoked.
    public static let revocationReasons = ["appeal-upheld", "rectified", "erroneous", "expired"]
    /// Severities, 1 general, 2 serious, 3 severe.
    public static let severities = [1, 2, 3]

    /// Parses a reported counter name; nil when the name is unknown or its parameter is not valid.
    public init?(_ name: String) {
        switch name {
        case "screened": self = .screened
        case "matches": self = .matches
        case "distinct_entries": self = .distinctEntries
        case "retractions": self = .retractions
        case "revocations": self = .revocations
        case "entries.published": self = .entriesPublished
        case "appeals.filed": self = .appealsFiled
        case "appeals.upheld": self = .appealsUpheld
        case "appeals.rejected": self = .appealsRejected
        case "appeals.overdue": self = .appealsOverdue
        default:
            if let origin = Self.parameter(of: name, after: "matches.origin."), !origin.isEmpty {
                self = .matchesByOrigin(member: origin)
            } else if let list = Self.parameter(of: name, after: "matches.list."), Self.lists.contains(list) {
                self = .matchesByList(list)
            } else if let category = Self.parameter(of: name, after: "matches.category."), Self.isCode(category) {
                self = .matchesByCategory(category)
            } else if let severity = Self.parameter(of: name, after: "matches.severity.").flatMap({ Int($0) }),
                      Self.severities.contains(severity) {
                self = .matchesBySeverity(severity)
            } else if let measure = Self.parameter(of: name, after: "matches.measure."),
                      MeasureNames.measure(code: measure) != nil {
                self = .matchesByMeasure(measure)
            } else if let reason = Self.parameter(of: name, after: "revocations.reason."),
                      Self.revocationReasons.contains(reason) {
                self = .revocationsByReason(reason)
            } else {
                return nil
            }
        }
    }

    /// The counter name as nodes send it.
    public var name: String {
        switch self {
        case .screened: "screened"
        case .matches: "matches"
        case .distinctEntries: "distinct_entries"
        case .matchesByOrigin(let member): "matches.origin.\(member)"
        case .matchesByList(let list): "matches.list.\(list)"
        case .matchesByCategory(let category): "matches.category.\(category)"
        case .matchesBySeverity(let severity): "matches.severity.\(severity)"
        case .matchesByMeasure(let measure): "matches.measure.\(measure)"
        case .retractions: "retractions"
        case .revocations: "revocations"
        case .revocationsByReason(let reason): "revocations.reason.\(reason)"
        case .entriesPublished: "entries.published"
        case .appealsFiled: "appeals.filed"
        case .appealsUpheld: "appeals.upheld"
        case .appealsRejected: "appeals.rejected"
        case .appealsOverdue: "appeals.overdue"
        }
    }

    /// True for end-of-day gauges, which do not add up over days (a period takes the last day's value).
    public var isGauge: Bool {
        switch self {
        case .entriesPublished, .appealsOverdue: true
        default: false
        }
    }

    private static func parameter(of name: String, after prefix: String) -> String? {
        guard name.hasPrefix(prefix) else { return nil }
        return String(name.dropFirst(prefix.count))
    }

    /// A category code: 1–48 characters of lower-case ASCII letters, digits and `-`.
    /// Codes this build does not name are still counted, so that category sums match `matches`.
    private static func isCode(_ text: String) -> Bool {
        !text.isEmpty && text.utf8.count <= 48
            && text.utf8.allSatisfy { ($0 >= 97 && $0 <= 122) || ($0 >= 48 && $0 <= 57) || $0 == 45 }
    }
}
