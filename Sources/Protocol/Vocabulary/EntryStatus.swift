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
