import Foundation

/// One webhook endpoint, as `exchange-node webhooks add` writes it to `HOME/webhooks/ID.json` (0600).
/// Its secret is in `HOME/keys/webhooks/ID.secret` (0600), never in this file. docs/integration.md.
package struct WebhookRegistration: Codable, Sendable, Equatable {
    /// Record types an endpoint can receive (the outbox's `type` field).
    package static let recordTypes = ["match", "retraction", "appeal-decided"]
    package static let defaultBatchSize = 100
    package static let defaultMaxAttempts = 10
    package static let defaultMaxBackoffSeconds = 300.0

    /// `[a-z0-9][a-z0-9-]{0,62}`: names the endpoint in `status`, logs and metric labels.
    package var id: String
    /// `https://…`, or `http://` to a loopback address.
    package var url: String
    /// Record types delivered; the others are skipped (their seq passed).
    package var types: [String]
    /// At most this many records per request (1–1000).
    package var batchSize: Int
    /// Consecutive failed attempts after which the endpoint is marked failing.
    package var maxAttempts: Int
    /// The longest wait between two attempts (also the retry period of a failing endpoint).
    package var maxBackoffSeconds: Double
    /// The first delivery starts after this outbox seq.
    package var startAfter: Int64
    package var createdAt: String

    enum CodingKeys: String, CodingKey {
        case id, url, types
        case batchSize = "batch_size"
        case maxAttempts = "max_attempts"
        case maxBackoffSeconds = "max_backoff_seconds"
        case startAfter = "start_after"
        case createdAt = "created_at"
    }

    package init(id: String, url: String, types: [String] = WebhookRegistration.recordTypes,
                batchSize: Int = WebhookRegistration.defaultBatchSize, maxAttempts: Int = WebhookRegistration.defaultMaxAttempts,
                maxBackoffSeconds: Double = WebhookRegistration.defaultMaxBackoffSeconds, startAfter: Int64 = 0,
                createdAt: String) throws(NodeError) {
        self.id = id
        self.url = url
        self.types = types
        self.batchSize = batchSize
        self.maxAttempts = maxAttempts
        self.maxBackoffSeconds = maxBackoffSeconds
        self.startAfter = startAfter
        self.createdAt = createdAt
        try validate()
    }

    /// Refuses what delivery could not honour; the message names the field, never a secret.
    package func validate() throws(NodeError) {
        guard id.range(of: "^[a-z0-9][a-z0-9-]{0,62}$", options: .regularExpression) != nil else {
            throw .invalidArgument("webhook id must match [a-z0-9][a-z0-9-]{0,62}")
        }
        guard let parsed = URLComponents(string: url), let scheme = parsed.scheme?.lowercased(),
              let host = parsed.host, !host.isEmpty, parsed.user == nil, parsed.password == nil else {
            throw .invalidArgument("webhook url must be https://HOST[:PORT]/PATH (no user info)")
        }
        switch scheme {
        case "https": break
        case "http":
            guard Self.isLoopback(host) else {
                throw .invalidArgument("webhook url: plain http is allowed only to a loopback address; use https")
            }
        default: throw .invalidArgument("webhook url must be https://HOST[:PORT]/PATH")
        }
        guard !types.isEmpty, types.allSatisfy({ Self.recordTypes.contains($0) }), Set(types).count == types.count else {
            throw .invalidArgument("webhook types must be a list of \(Self.recordTypes.joined(separator: ", "))")
        }
        guard (1...1000).contains(batchSize) else { throw .invalidArgument("webhook batch size must be 1-1000") }
        guard (1...1000).contains(maxAttempts) else { throw .invalidArgument("webhook max attempts must be 1-1000") }
        guard maxBackoffSeconds >= 1, maxBackoffSeconds <= 86_400 else {
            throw .invalidArgument("webhook max backoff must be 1-86400 seconds")
        }
        guard startAfter >= 0 else { throw .invalidArgument("webhook start must be an outbox seq >= 0") }
    }

    /// The URL without query or user info, for `status` and logs.
    package var displayURL: String {
        guard var parts = URLComponents(string: url) else { return "?" }
        parts.query = nil
        parts.fragment = nil
        return parts.string ?? "?"
    }

    static func isLoopback(_ host: String) -> Bool {
        let bare = host.trimmingCharacters(in: CharacterSet(charactersIn: "[]")).lowercased()
        return bare == "localhost" || bare == "::1" || bare.hasPrefix("127.")
    }
}
