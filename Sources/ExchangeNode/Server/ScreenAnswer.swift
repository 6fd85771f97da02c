import ExchangeRuntime
import Hummingbird

/// `POST /v1/screen`'s answer: `{"matches":[...],"rejected":[{"ref","reason"}]}`, plus under the pairwise
/// scheme `"stale_origins"` (peers whose key epoch moved on since our last sync: their matches may be
/// missing) and `"unreachable_origins"` (peers that could not mask the queries), each only when not empty.
/// Matches keep the documented field order of a `screen` line.
struct ScreenAnswer: ResponseEncodable, FieldOrderedJSON, Sendable {
    /// An item that was not screened: its ref and why (never the identifier).
    struct Rejection: Encodable, Sendable {
        let ref: String
        let reason: String
    }

    let matches: [ScreenMatch]
    let rejected: [Rejection]
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
        if !unreachableOrigins.isEmpty { try container.encode(unreachableOrigins, forKey: .unreachableOrigins) }
    }
}
