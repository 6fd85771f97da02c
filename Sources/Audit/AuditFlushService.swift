import Logging
import ServiceLifecycle

/// Flushes an ``AuditLog`` on a timer and closes it on graceful shutdown, as a ServiceLifecycle
/// service. Put it *first* in the ServiceGroup's list: services shut down in reverse order, so the
/// log closes after the services that write to it. The interval bounds how many records a power
/// loss, or someone cutting the file while the node is down, can remove undetected.
public struct AuditFlushService: Service {
    public let log: AuditLog
    public let interval: Duration
    /// Appended just before the log closes (`node.stop`, `coordinator.stop`), when given.
    public let finalEvent: AuditEvent?
    private let logger: Logger

    public init(log: AuditLog, interval: Duration = .seconds(1), finalEvent: AuditEvent? = nil,
                logger: Logger = Logger(label: "exchange-node.audit")) {
        self.log = log
        self.interval = interval
        self.finalEvent = finalEvent
        self.logger = logger
    }

    public func run() async throws {
        let (log, interval, logger) = (self.log, self.interval, self.logger)
        try? await cancelWhenGracefulShutdown {
            while !Task.isCancelled {
                try await Task.sleep(for: interval)
                do {
                    try log.flush()
                } catch {
                    logger.error("audit flush failed", metadata: ["error": "\(error)"])
                }
            }
        }
        if let finalEvent { log.append(finalEvent) }
        try log.close()
    }
}
