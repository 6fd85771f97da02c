import ExchangeRuntime
import Foundation
import Logging

/// The executable's entry point: logging to standard error (level from EXCHANGE_NODE_LOG_LEVEL,
/// default `notice`), the process's metrics registry, then the command line. The only place either
/// system is bootstrapped.
enum ExchangeNodeMain {
    static func run() async {
        let level = ProcessInfo.processInfo.environment["EXCHANGE_NODE_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .notice
        LoggingSystem.bootstrap { label in
            var handler = StreamLogHandler.standardError(label: label)
            handler.logLevel = level
            return handler
        }
        ProcessMetrics.bootstrap()
        await RootCommand.main()
    }
}
