import Synchronization

/// How the process writes its log lines to standard error: `text` (swift-log's stream format, the
/// default) or `json` (one JSON object per line, for log shippers). Chosen once by the command
/// (`serve --log-format json`, `coordinator serve --log-format json`) or by the
/// `EXCHANGE_NODE_LOG_FORMAT` environment variable; loggers made before the choice follow it too.
package enum LogFormat: String, Sendable, CaseIterable {
    case text
    case json

    private static let selected = Atomic<UInt8>(0)

    /// The format in force.
    package static var current: LogFormat { selected.load(ordering: .relaxed) == 1 ? .json : .text }

    /// Switches every logger of the process to `format`.
    package static func select(_ format: LogFormat) {
        selected.store(format == .json ? 1 : 0, ordering: .relaxed)
    }
}
