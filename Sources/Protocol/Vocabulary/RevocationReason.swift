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
