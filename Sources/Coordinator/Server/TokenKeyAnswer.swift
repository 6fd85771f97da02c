import ExchangeCrypto
import Hummingbird

/// `GET /v1/token-key`'s answer: the key of one epoch in the `token-key.json` format (sorted keys).
struct TokenKeyAnswer: ResponseEncodable, Sendable {
    let key: AllianceTokenKey

    func encode(to encoder: any Encoder) throws { try key.encode(to: encoder) }
}
