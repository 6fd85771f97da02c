import Foundation
import Hummingbird
import NIOCore

/// `GET /v1/outbox?after=&limit=` (NDJSON `{"seq","record"}` lines, oldest first) and
/// `POST /v1/outbox/ack?through=&consumer=` (docs/openapi.yaml, `readOutbox`, `acknowledgeOutbox`).
struct OutboxAPI: Sendable {
    static let maxRecordsPerRead = 10_000
    static let maxConsumerLength = 64

    let store: NodeStore

    func read(_ request: Request) -> Response {
        let query = request.uri.queryParameters
        guard let after = Self.count(query["after"], default: 0, minimum: 0),
              let limit = Self.count(query["limit"], default: 1000, minimum: 1) else {
            return APIError.malformed("after must be an outbox sequence number (>= 0) and limit a positive count").response
        }
        let records: [(seq: Int64, json: String)]
        do {
            records = try store.read { db in try Outbox.read(after: after, limit: Int(min(limit, Int64(Self.maxRecordsPerRead))), db) }
        } catch {
            return APIError(.internal, "cannot read the outbox").response
        }
        var text = ""
        for record in records { text += "{\"seq\":\(record.seq),\"record\":\(record.json)}\n" }  // stored JSON, embedded as it is
        return APIResponse.text(text, type: "application/x-ndjson")
    }

    func acknowledge(_ request: Request) -> Response {
        let query = request.uri.queryParameters
        guard let through = Self.count(query["through"], default: nil, minimum: 0) else {
            return APIError.malformed("through=SEQ (an outbox sequence number >= 0) is required").response
        }
        let consumer = query["consumer"].map(String.init) ?? "default"
        guard (1...Self.maxConsumerLength).contains(consumer.unicodeScalars.count) else {
            return APIError.malformed("consumer must be 1 to \(Self.maxConsumerLength) characters").response
        }
        do {
            try store.write { db in try Outbox.acknowledge(consumer: consumer, through: through, db) }
        } catch {
            return APIError(.internal, "cannot record the acknowledgement").response
        }
        return APIResponse.json(OutboxAcknowledged(consumer: consumer, through: through))
    }

    /// A decimal count: absent → `fallback` (nil: required), present → an Int64 >= `minimum`, else nil.
    static func count(_ value: Substring?, default fallback: Int64?, minimum: Int64) -> Int64? {
        guard let value else { return fallback }
        guard let number = Int64(value), number >= minimum else { return nil }
        return number
    }
}
