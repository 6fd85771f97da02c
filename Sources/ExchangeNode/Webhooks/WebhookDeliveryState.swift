/// Where one endpoint's delivery stands (a row of `webhook_deliveries`, migration `v5-webhooks`).
package struct WebhookDeliveryState: Sendable, Equatable, Codable {
    package enum Health: String, Sendable, Codable {
        case active
        /// `max_attempts` consecutive attempts failed; still retried every `max_backoff_seconds`.
        case failing
    }

    package var endpoint: String
    /// Every record up to this outbox seq was acknowledged (2xx) by the endpoint, or skipped by type.
    package var throughSeq: Int64
    package var state: Health
    /// Consecutive failed attempts of the pending batch.
    package var attempts: Int
    /// Milliseconds since 1970; nil means now.
    package var nextAttemptAt: Int64?
    /// `http 503`, `timeout`, `connection refused`…: never a response body.
    package var lastError: String?
    package var lastSuccessAt: Int64?
    /// Records acknowledged in all.
    package var delivered: Int64

    enum CodingKeys: String, CodingKey {
        case endpoint, state, attempts, delivered
        case throughSeq = "through_seq"
        case nextAttemptAt = "next_attempt_at"
        case lastError = "last_error"
        case lastSuccessAt = "last_success_at"
    }
}
