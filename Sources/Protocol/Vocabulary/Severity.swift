/// Severity 1 (general), 2 (serious), 3 (severe).
public enum Severity: Int, Sendable, Codable, Hashable, CaseIterable, Comparable {
    case general = 1
    case serious = 2
    case severe = 3

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rawValue < rhs.rawValue }
}
