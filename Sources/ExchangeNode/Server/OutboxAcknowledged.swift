import Hummingbird

/// `POST /v1/outbox/ack`'s answer: `{"consumer","through"}`.
struct OutboxAcknowledged: ResponseEncodable, Sendable {
    let consumer: String
    let through: Int64
}
