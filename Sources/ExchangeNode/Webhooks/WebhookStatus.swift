import ExchangeProtocol
import Foundation

/// One endpoint as `status` and `webhooks list` show it: registration and delivery state (no secret,
/// no query string or user info of the URL).
package struct WebhookStatus: Sendable, Codable, Equatable {
    package let id: String
    package let url: String
    package let types: [String]
    /// `active`, `failing`, or `new` (registered, not yet seen by a running `serve`).
    package let state: String
    package let throughSeq: Int64
    /// Outbox records after its cursor.
    package let lag: Int64
    package let attempts: Int
    package let lastError: String?
    package let delivered: Int64
    package let lastSuccessAt: String?

    enum CodingKeys: String, CodingKey {
        case id, url, types, state, lag, attempts, delivered
        case throughSeq = "through_seq"
        case lastError = "last_error"
        case lastSuccessAt = "last_success_at"
    }

    package static func collect(home: NodeHome, store: NodeStore) throws(NodeError) -> [WebhookStatus] {
        let registrations = try WebhookDirectory.load(from: home).registrations
        let (states, head) = try store.read { db in
            (Dictionary(uniqueKeysWithValues: try WebhookStateTable.all(db).map { ($0.endpoint, $0) }), try WebhookBatch.head(db))
        }
        return registrations.values.sorted { $0.id < $1.id }.map { registration in
            let state = states[registration.id]
            let through = state?.throughSeq ?? registration.startAfter
            return WebhookStatus(
                id: registration.id, url: registration.displayURL, types: registration.types,
                state: state?.state.rawValue ?? "new", throughSeq: through, lag: max(0, head - through),
                attempts: state?.attempts ?? 0, lastError: state?.lastError, delivered: state?.delivered ?? 0,
                lastSuccessAt: state?.lastSuccessAt.map { ISO8601.format(millis: $0) })
        }
    }

    /// One line of text.
    package var line: String {
        var text = "\(id)\t\(state)\t\(url)\ttypes \(types.joined(separator: ","))\tthrough seq \(throughSeq)\tlag \(lag)"
        text += "\tdelivered \(delivered)"
        if attempts > 0 { text += "\tattempts \(attempts)" }
        if let lastError { text += "\tlast error: \(lastError)" }
        return text
    }
}
