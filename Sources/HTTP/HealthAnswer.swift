import Hummingbird

/// `GET /v1/health`: `{"status":"ok"}`, with the answering member (`member`, a node's peer listener) or
/// coordinator (`coordinator`) when the listener is an alliance one.
package struct HealthAnswer: ResponseEncodable, Sendable {
    package let member: String?
    package let coordinator: String?
    package let status = "ok"

    package init(member: String? = nil, coordinator: String? = nil) {
        self.member = member
        self.coordinator = coordinator
    }
}
