/// The answer of `POST /v1/screen` (and of `POST /v1/watch`): the matches, the rejected items and,
/// under the pairwise scheme, the origins whose matches may be missing (docs/openapi.yaml, `ScreenAnswer`).
struct ScreenAnswer: Encodable, Sendable {
    struct Rejected: Codable, Sendable, Equatable {
        let ref: String
        /// `unknown identifier kind` or the kind's check that failed; never the identifier.
        let reason: String
    }

    struct Unreachable: Encodable, Sendable {
        let member: String
        let reason: String
    }

    let matches: [ScreenMatch]
    let rejected: [Rejected]
    let staleOrigins: [StaleOrigin]
    let unreachableOrigins: [UnreachableOrigin]

    enum CodingKeys: String, CodingKey {
        case matches, rejected
        case staleOrigins = "stale_origins"
        case unreachableOrigins = "unreachable_origins"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(matches, forKey: .matches)
        try container.encode(rejected, forKey: .rejected)
        if !staleOrigins.isEmpty { try container.encode(staleOrigins, forKey: .staleOrigins) }
        if !unreachableOrigins.isEmpty {
            try container.encode(unreachableOrigins.map { Unreachable(member: $0.member, reason: $0.reason) }, forKey: .unreachableOrigins)
        }
    }
}
