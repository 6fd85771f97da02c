import ExchangeProtocol
import ServiceLifecycle

/// Part of `serve` when the node has a coordinator: every interval, fetch the revocation list the
/// coordinator publishes and send the daily counters not yet acknowledged (backing off after failures).
/// A graceful shutdown cancels the wait and a report in progress (the coordinator stores a report in
/// one transaction and the counters are acknowledged only from its answer, so a cut report is re-sent).
package struct CoordinatorReportLoop: Service {
    let node: NodeRuntime
    let coordinatorURL: String

    package init(node: NodeRuntime, coordinatorURL: String) {
        self.node = node
        self.coordinatorURL = coordinatorURL
    }

    package func run() async throws {
        let client = node.makePeerClient()
        let context = node.context
        let base = max(5, context.config.syncIntervalSeconds)
        var failures = 0
        while !Task.isCancelled && !Task.isShuttingDownGracefully {
            let delay = Int(min(base * Double(1 << failures), 900) * 1000)
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .milliseconds(delay)) }
            guard !Task.isCancelled && !Task.isShuttingDownGracefully else { break }
            do {
                let refused = try await cancelWhenGracefulShutdown { [node, coordinatorURL] in
                    _ = try await RevocationListPull(context: context, coordinatorURL: coordinatorURL, client: client,
                                                     live: node.revocations).run()
                    return try await CounterReporter(context: context, coordinatorURL: coordinatorURL, client: client).run().refused
                }
                for refusal in refused {
                    context.logger.warning("coordinator refused a report", metadata: ["day": "\(refusal.day)", "reason": "\(refusal.reason)"])
                }
                failures = 0
            } catch where Task.isCancelled || Task.isShuttingDownGracefully {
                break
            } catch {
                failures = min(failures + 1, 6)
                context.logger.warning("reporting to the coordinator failed", metadata: ["error": "\(error)"])
            }
        }
        await client.shutdown()
    }
}
