import ExchangeProtocol

/// A member removed from the alliance (`members.json`, `expelled`): when, the policy applied to its
/// entries, the serial of the certificate revoked with it and the token-key epoch its removal started.
public struct ExpelledMember: Codable, Sendable, Equatable {
    public var member: String
    public var removedAt: String
    public var entries: ExpelledEntries
    public var certificateSerial: String?
    public var tokenKeyEpoch: UInt32?

    enum CodingKeys: String, CodingKey {
        case member, entries
        case removedAt = "removed_at"
        case certificateSerial = "certificate_serial"
        case tokenKeyEpoch = "token_key_epoch"
    }

    public init(member: String, removedAt: String, entries: ExpelledEntries, certificateSerial: String?, tokenKeyEpoch: UInt32?) {
        self.member = member
        self.removedAt = removedAt
        self.entries = entries
        self.certificateSerial = certificateSerial
        self.tokenKeyEpoch = tokenKeyEpoch
    }
}
