/// `POST /v1/keys/rotate`'s answer (docs/openapi.yaml, `KeyRotation`).
struct KeysRotated: Codable, Sendable {
    let fromEpoch: UInt32
    let toEpoch: UInt32
    let ownEntries: Int
    let peerEntries: Int
    let transactionMillis: Int

    enum CodingKeys: String, CodingKey {
        case fromEpoch = "from_epoch"
        case toEpoch = "to_epoch"
        case ownEntries = "own_entries"
        case peerEntries = "peer_entries"
        case transactionMillis = "transaction_ms"
    }
}
