/// Whether an entry is in force.
public enum EntryStatus: String, Sendable, Codable, Hashable {
    case active
    case revoked

    public var code: UInt8 { self == .active ? 1 : 2 }

    public init?(code: UInt8) {
        switch code {
        case 1: self = .active
        case 2: self = .revoked
        default: return nil
        }
    }
}

/// Why an entry was withdrawn (DOMAIN.md: a wrong listing is withdrawn and reputation restored).
public enum RevocationReason: String, Sendable, Codable, Hashable, CaseIterable {
    case appealUpheld = "appeal-upheld"
    case rectified
    case erroneous
    case expired

    public var code: UInt8 { UInt8(Self.allCases.firstIndex(of: self)! + 1) }

    public init?(code: UInt8) {
        let index = Int(code) - 1
        guard index >= 0, index < Self.allCases.count else { return nil }
        self = Self.allCases[index]
    }
}

/// Severity 1 (general), 2 (serious), 3 (severe).
public enum Severity: Int, Sendable, Codable, Hashable, CaseIterable, Comparable {
    case general = 1
    case serious = 2
    case severe = 3

    public static func < (lhs: Severity, rhs: Severity) -> Bool { lhs.rawValue < rhs.rawValue }
}
