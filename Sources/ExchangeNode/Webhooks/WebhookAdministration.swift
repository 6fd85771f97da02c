import Crypto
import ExchangeAudit
import ExchangeCrypto
import ExchangeProtocol
import ExchangeRuntime
import Foundation

/// What `exchange-node webhooks add|list|remove` do (the commands only parse their arguments).
package enum WebhookAdministration {
    /// Where a new endpoint's first delivery starts.
    package enum Start: Sendable, Equatable {
        /// Every record in the outbox (seq 0).
        case beginning
        /// Only records written after the registration.
        case now
        /// After this seq.
        case after(Int64)

        package init?(_ text: String) {
            switch text {
            case "start": self = .beginning
            case "now": self = .now
            default:
                guard let seq = Int64(text), seq >= 0 else { return nil }
                self = .after(seq)
            }
        }
    }

    /// The default id of an endpoint: `wh-` and 10 hex digits of its URL's SHA-256.
    package static func defaultID(for url: String) -> String {
        "wh-" + Hex.encode(SHA256.hash(data: Array(url.utf8)).prefix(5))
    }

    /// Registers an endpoint (audited); the secret is read from `secretFile` and copied into the home.
    package static func add(
        context: NodeContext, url: String, secretFile: String, types: [String], id: String?, start: Start,
        batchSize: Int, maxAttempts: Int, maxBackoffSeconds: Double
    ) throws(NodeError) -> WebhookRegistration {
        let secret: Data
        do {
            secret = try Data(contentsOf: URL(fileURLWithPath: secretFile))
        } catch {
            throw .fileUnreadable(secretFile, reason: "cannot read the webhook secret")
        }
        let startAfter: Int64
        switch start {
        case .beginning: startAfter = 0
        case .after(let seq): startAfter = seq
        case .now: startAfter = try context.store.read { db in try WebhookBatch.head(db) }
        }
        let registration = try WebhookRegistration(
            id: id ?? defaultID(for: url), url: url, types: types, batchSize: batchSize, maxAttempts: maxAttempts,
            maxBackoffSeconds: maxBackoffSeconds, startAfter: startAfter,
            createdAt: ISO8601.format(millis: NodeClock.nowMillis()))
        try WebhookDirectory.add(registration, secret: secret, to: context.home)
        context.audit.append(AuditEvent(actor: AuditEvent.localActor, role: .operator, action: "webhook.add", outcome: .ok,
                                        detail: ["webhook": .id(registration.id), "types": .code(types.joined(separator: ","))]))
        try? context.audit.flush()
        return registration
    }

    /// Removes an endpoint and its delivery state (audited). False if it was not registered.
    package static func remove(context: NodeContext, id: String) throws(NodeError) -> Bool {
        let removed = try WebhookDirectory.remove(id, from: context.home, store: context.store)
        if removed {
            context.audit.append(AuditEvent(actor: AuditEvent.localActor, role: .operator, action: "webhook.remove", outcome: .ok,
                                            detail: ["webhook": .id(id)]))
            try? context.audit.flush()
        }
        return removed
    }
}
