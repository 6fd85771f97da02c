import ExchangeRuntime
import Hummingbird

/// `POST /v1/watch`'s answer, like `/v1/screen`'s: `{"registered","matches":[...],"rejected":[{"ref","reason"}]}`,
/// plus `stale_origins` and `unreachable_origins` when a peer could not cover the new accounts.
struct WatchAnswer: ResponseEncodable, FieldOrderedJSON, Sendable {
    var registered: Int
    var matches: [ScreenMatch] = []
    var rejected: [ScreenAnswer.Rejection]
    var staleOrigins: [StaleOrigin] = []
    var unreachableOrigins: [UnreachableOrigin] = []

    enum CodingKeys: String, CodingKey {
        case registered, matches, rejected
        case staleOrigins = "stale_origins"
        case unreachableOrigins = "unreachable_origins"
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(registered, forKey: .registered)
        try container.encode(matches, forKey: .matches)
        try container.encode(rejected, forKey: .rejected)
        if !staleOrigins.isEmpty { try container.encode(staleOrigins, forKey: .staleOrigins) }
        if !unreachableOrigins.isEmpty { try container.encode(unreachableOrigins, forKey: .unreachableOrigins) }
    }
}
