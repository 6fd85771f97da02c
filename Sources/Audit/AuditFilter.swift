import ExchangeProtocol

/// Which records `audit show` lists. Every condition set must hold.
public struct AuditFilter: Sendable, Equatable {
    /// An action name, or a dotted prefix of one: `sync` matches `sync.pull` and `sync.serve`.
    public var action: String?
    /// A member id (or `local`, `unknown`).
    public var actor: String?
    public var outcome: AuditOutcome?
    /// Only records at or after this instant (milliseconds since 1970, UTC).
    public var sinceMillis: Int64?
    /// Keep only the last `limit` matching records (the most recent ones).
    public var limit: Int?

    public init(action: String? = nil, actor: String? = nil, outcome: AuditOutcome? = nil,
                sinceMillis: Int64? = nil, limit: Int? = nil) {
        self.action = action
        self.actor = actor
        self.outcome = outcome
        self.sinceMillis = sinceMillis
        self.limit = limit
    }

    /// Parses an operator's `--since` text (`2026-11-23`, `2026-11-23T08:00`, `...Z`, `...+08:00`).
    public static func parseTime(_ text: String) -> Int64? { ISO8601.parse(text, lenient: true) }

    func matches(_ record: AuditRecord) -> Bool {
        if let action, record.action != action, !record.action.hasPrefix(action + ".") { return false }
        if let actor, record.actor != actor { return false }
        if let outcome, record.outcome != outcome { return false }
        if let sinceMillis {
            guard let time = ISO8601.parse(record.time, lenient: true), time >= sinceMillis else { return false }
        }
        return true
    }
}
