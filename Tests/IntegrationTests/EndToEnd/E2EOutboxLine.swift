import AllianceTestSupport
import Foundation

/// One line of the internal API's `GET /v1/outbox`.
struct E2EOutboxLine: Decodable, Sendable {
    /// The queued record; only the fields the tests look at.
    struct Record: Decodable, Sendable {
        let type: String
        let ref: String?
        let origin: String?
        let entry_id: String?
        let reason: String?
    }

    let seq: Int
    let record: Record

    static func decodeLines(_ text: String) throws -> [E2EOutboxLine] {
        try text.split(separator: "\n").map { try JSONDecoder().decode(E2EOutboxLine.self, from: Data($0.utf8)) }
    }
}
