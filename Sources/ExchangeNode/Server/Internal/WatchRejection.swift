import ExchangeRuntime

/// `POST /v1/watch` when some items are refused: 400 in the contract's error shape (`rejected-items`),
/// with the watch answer's fields — nothing registered, no match, every refused item.
struct WatchRejection: Encodable, FieldOrderedJSON, Sendable {
    let rejected: [ScreenAnswer.Rejection]

    enum CodingKeys: String, CodingKey {
        case error, code, registered, matches, rejected
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode("\(rejected.count) item\(rejected.count == 1 ? "" : "s") refused; nothing was registered", forKey: .error)
        try container.encode(APIError.Code.rejectedItems, forKey: .code)
        try container.encode(0, forKey: .registered)
        try container.encode([ScreenMatch](), forKey: .matches)
        try container.encode(rejected, forKey: .rejected)
    }
}
