/// Which scheme and key epoch produced a token. Tokens of different descriptors never match.
public struct TokenSchemeDescriptor: Hashable, Sendable, Codable, CustomStringConvertible {
    public let scheme: TokenSchemeID
    public let epoch: UInt32

    public init(scheme: TokenSchemeID, epoch: UInt32) {
        self.scheme = scheme
        self.epoch = epoch
    }

    public var description: String { "\(scheme.rawValue)@\(epoch)" }
}
