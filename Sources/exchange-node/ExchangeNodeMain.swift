import ExchangeRuntime
import Foundation
import Logging

/// The executable's entry point: logging to standard error (level from EXCHANGE_NODE_LOG_LEVEL,
/// default `notice`; format from EXCHANGE_NODE_LOG_FORMAT, `text` or `json`, or the serving commands'
/// `--log-format`), the process's metrics registry, then the command line. The only place either
/// system is bootstrapped.
enum ExchangeNodeMain {
    static func run() async {
        let environment = ProcessInfo.processInfo.environment
        let level = environment["EXCHANGE_NODE_LOG_LEVEL"].flatMap(Logger.Level.init(rawValue:)) ?? .notice
        if let format = environment["EXCHANGE_NODE_LOG_FORMAT"].flatMap(LogFormat.init(rawValue:)) { LogFormat.select(format) }
        LoggingSystem.bootstrap { label in StandardErrorLogHandler(label: label, level: level) }
        ProcessMetrics.bootstrap()
        await RootCommand.main()
    }
}
