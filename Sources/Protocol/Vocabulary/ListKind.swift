/// Which list an entry is on (DOMAIN.md, "The lists").
public enum ListKind: String, Sendable, Codable, Hashable, CaseIterable {
    /// 黑名单: serious dishonesty; joint punishment applies.
    case black
    /// 重点关注名单: watch list.
    case watch
    /// 红名单: trustworthy subjects; incentives, not measures.
    case red

    public var code: UInt8 {
        switch self {
        case .black: 1
        case .watch: 2
        case .red: 3
        }
    }

    public init?(code: UInt8) {
        guard let found = Self.allCases.first(where: { $0.code == code }) else { return nil }
        self = found
    }
}
