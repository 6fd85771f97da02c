import Foundation

/// `GET /v1/membership`: the alliance's nodes (id, endpoint, allowed lists), the token-key epochs
/// (fingerprints only; the key itself is `GET /v1/token-key`) and the revocation list's date.
struct MembershipDocument: Encodable, Sendable {
    struct Member: Encodable, Sendable {
        let member: String
        let url: String?
        let lists: [String]
    }

    struct Epoch: Encodable, Sendable {
        let epoch: UInt32
        let fingerprint: String
        let created: String
    }

    let alliance: String
    let coordinator: String
    let members: [Member]
    let tokenKeyEpochs: [Epoch]
    let currentTokenKeyEpoch: UInt32?
    let revocationsIssued: String?
    let revokedCertificates: Int

    enum CodingKeys: String, CodingKey {
        case alliance, coordinator, members
        case tokenKeyEpochs = "token_key_epochs"
        case currentTokenKeyEpoch = "current_token_key_epoch"
        case revocationsIssued = "revocations_issued"
        case revokedCertificates = "revoked_certificates"
    }

    init(coordinator: CoordinatorContext) throws(CoordinatorError) {
        let registry = try coordinator.registry()
        let ring = try coordinator.tokenKeys()
        alliance = coordinator.config.alliance
        self.coordinator = coordinator.member
        members = registry.nodes.map { Member(member: $0.member, url: $0.url, lists: $0.lists.map(\.rawValue)) }
        tokenKeyEpochs = ring.keys.map { Epoch(epoch: $0.epoch, fingerprint: $0.fingerprint, created: $0.created) }
        currentTokenKeyEpoch = ring.current?.epoch
        revocationsIssued = coordinator.revocations.current?.issued
        revokedCertificates = coordinator.revocations.current?.serials.count ?? 0
    }
}

/// `GET /v1/statistics?month=YYYY-MM`: the figures behind the dashboard, as counter names → values
/// (the names nodes report them by) plus `member_days` and `members_reporting`.
struct StatisticsDocument: Encodable, Sendable {
    let alliance: String
    let month: String?
    let members: [String]
    let days: [String]
    let total: [String: Int]
    let perMember: [String: [String: Int]]
    let perDay: [String: [String: Int]]
    let totalsCheck: [String]

    enum CodingKeys: String, CodingKey {
        case alliance, month, members, days, total
        case perMember = "per_member"
        case perDay = "per_day"
        case totalsCheck = "totals_check"
    }

    init(statistics: AllianceStatistics, alliance: String, month: String?) {
        self.alliance = alliance
        self.month = month
        members = statistics.members
        days = statistics.days
        total = Self.figures(statistics.total)
        perMember = Dictionary(uniqueKeysWithValues: statistics.members.map { ($0, Self.figures(statistics.summary(member: $0))) })
        perDay = statistics.perDay.mapValues(Self.figures)
        totalsCheck = statistics.totalsCheck()
    }

    static func figures(_ summary: CounterSummary) -> [String: Int] {
        var out = Dictionary(uniqueKeysWithValues: summary.nonZeroCounters.map { ($0.key.name, $0.value) })
        out["member_days"] = summary.memberDaysReported
        out["members_reporting"] = summary.membersReporting
        return out
    }
}
