import Foundation
import Logging

/// The executable's entry point: logging to standard error (level from EXCHANGE_NODE_LOG_LEVEL,
/// default `notice`), then the command line.
public enum ExchangeNodeMain {
    public static func run() async {
        let level = ProcessInfo.processInfo.environment["EXCHANGE_NODE_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .notice
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        await RootCommand.main()
    }
}
