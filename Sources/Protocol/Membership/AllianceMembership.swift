/// `GET /v1/membership`: what the coordinator publishes about the alliance and what nodes act on —
/// the members, the keyed-hash token-key epochs with their changeover deadlines, the members removed
/// with the policy for their entries, and the revocation list's date. Encoded by the coordinator,
/// decoded by nodes (docs/membership.md); fields a node does not know are ignored, absent optional
/// fields mean "none".
public struct AllianceMembership: Codable, Sendable, Equatable {
    /// A node of the alliance.
    public struct Member: Codable, Sendable, Equatable {
        public let member: String
        public let url: String?
        public let lists: [String]

        public init(member: String, url: String?, lists: [String]) {
            self.member = member
            self.url = url
            self.lists = lists
        }
    }

    /// One keyed-hash token-key epoch the coordinator still holds.
    public struct Epoch: Codable, Sendable, Equatable {
        public let epoch: UInt32
        public let fingerprint: String
        public let created: String
        /// On an epoch older than the current one: after this time (ISO 8601 UTC) entries still under
        /// it no longer count and its key is deleted everywhere. Absent on the current epoch.
        public let changeoverDeadline: String?

        enum CodingKeys: String, CodingKey {
            case epoch, fingerprint, created
            case changeoverDeadline = "changeover_deadline"
        }

        public init(epoch: UInt32, fingerprint: String, created: String, changeoverDeadline: String? = nil) {
            self.epoch = epoch
            self.fingerprint = fingerprint
            self.created = created
            self.changeoverDeadline = changeoverDeadline
        }
    }

    /// The changeover in progress: from `fromEpochs` to `toEpoch` until `deadline`.
    public struct Changeover: Codable, Sendable, Equatable {
        public let fromEpochs: [UInt32]
        public let toEpoch: UInt32
        public let started: String
        public let deadline: String
        /// `rotate` or `member-removed`.
        public let reason: String

        enum CodingKeys: String, CodingKey {
            case fromEpochs = "from_epochs"
            case toEpoch = "to_epoch"
            case started, deadline, reason
        }

        public init(fromEpochs: [UInt32], toEpoch: UInt32, started: String, deadline: String, reason: String) {
            self.fromEpochs = fromEpochs
            self.toEpoch = toEpoch
            self.started = started
            self.deadline = deadline
            self.reason = reason
        }
    }

    /// A member removed from the alliance, and what every node does with its entries.
    public struct Expelled: Codable, Sendable, Equatable {
        public let member: String
        public let removedAt: String
        public let entries: ExpelledEntries

        enum CodingKeys: String, CodingKey {
            case member, entries
            case removedAt = "removed_at"
        }

        public init(member: String, removedAt: String, entries: ExpelledEntries) {
            self.member = member
            self.removedAt = removedAt
            self.entries = entries
        }
    }

    public var alliance: String
    public var coordinator: String
    /// `keyed-hash` or `ecdh-x25519`; absent from a coordinator older than this field (then keyed-hash).
    public var scheme: String?
    public var members: [Member]
    public var tokenKeyEpochs: [Epoch]
    public var currentTokenKeyEpoch: UInt32?
    public var changeover: Changeover?
    /// The alliance's default policy for a removed member's entries.
    public var expelledEntries: ExpelledEntries?
    public var expelled: [Expelled]
    public var revocationsIssued: String?
    public var revokedCertificates: Int

    enum CodingKeys: String, CodingKey {
        case alliance, coordinator, scheme, members, changeover, expelled
        case tokenKeyEpochs = "token_key_epochs"
        case currentTokenKeyEpoch = "current_token_key_epoch"
        case expelledEntries = "expelled_entries"
        case revocationsIssued = "revocations_issued"
        case revokedCertificates = "revoked_certificates"
    }

    public init(
        alliance: String, coordinator: String, scheme: String?, members: [Member], tokenKeyEpochs: [Epoch],
        currentTokenKeyEpoch: UInt32?, changeover: Changeover?, expelledEntries: ExpelledEntries?, expelled: [Expelled],
        revocationsIssued: String?, revokedCertificates: Int
    ) {
        self.alliance = alliance
        self.coordinator = coordinator
        self.scheme = scheme
        self.members = members
        self.tokenKeyEpochs = tokenKeyEpochs
        self.currentTokenKeyEpoch = currentTokenKeyEpoch
        self.changeover = changeover
        self.expelledEntries = expelledEntries
        self.expelled = expelled
        self.revocationsIssued = revocationsIssued
        self.revokedCertificates = revokedCertificates
    }

    public init(from decoder: any Decoder) throws {
        let c = try decoder.container(keyedBy: CodingKeys.self)
        alliance = try c.decode(String.self, forKey: .alliance)
        coordinator = try c.decode(String.self, forKey: .coordinator)
        scheme = try c.decodeIfPresent(String.self, forKey: .scheme)
        members = try c.decodeIfPresent([Member].self, forKey: .members) ?? []
        tokenKeyEpochs = try c.decodeIfPresent([Epoch].self, forKey: .tokenKeyEpochs) ?? []
        currentTokenKeyEpoch = try c.decodeIfPresent(UInt32.self, forKey: .currentTokenKeyEpoch)
        changeover = try c.decodeIfPresent(Changeover.self, forKey: .changeover)
        expelledEntries = try c.decodeIfPresent(ExpelledEntries.self, forKey: .expelledEntries)
        expelled = try c.decodeIfPresent([Expelled].self, forKey: .expelled) ?? []
        revocationsIssued = try c.decodeIfPresent(String.self, forKey: .revocationsIssued)
        revokedCertificates = try c.decodeIfPresent(Int.self, forKey: .revokedCertificates) ?? 0
    }

    /// The epoch entry for `epoch`, if the coordinator still holds it.
    public func epoch(_ epoch: UInt32) -> Epoch? { tokenKeyEpochs.first { $0.epoch == epoch } }

    /// The removal record of `member`, if it was removed.
    public func expulsion(of member: String) -> Expelled? { expelled.first { $0.member == member } }
}

/// What happens to a removed member's entries: `keep` (they stay until they expire) or `withdraw`
/// (every node withdraws them and retracts its matches against them).
public enum ExpelledEntries: String, Codable, Sendable, CaseIterable {
    case keep
    case withdraw
}
