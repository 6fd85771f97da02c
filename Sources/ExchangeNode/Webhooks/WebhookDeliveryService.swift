import Foundation
import Logging
import ServiceLifecycle
import Synchronization

/// Webhook delivery inside `serve`: one loop per registered endpoint (`HOME/webhooks/*.json`, read again
/// every poll interval, so `webhooks add|remove` take effect without a restart). On a stop every wait and
/// every request in flight is cancelled at once; an unacknowledged batch is sent again after the restart.
package struct WebhookDeliveryService: Service {
    let home: NodeHome
    let store: NodeStore
    let logger: Logger
    let pollInterval: Duration

    package init(context: NodeContext, pollInterval: Duration = .seconds(1)) {
        home = context.home
        store = context.store
        logger = context.logger
        self.pollInterval = pollInterval
    }

    package func run() async throws {
        let sender = WebhookSender()
        let registry = Registry()
        await cancelWhenGracefulShutdown {
            await withDiscardingTaskGroup { group in
                var unreadable = false
                while !Task.isCancelled {
                    do {
                        registry.set(try WebhookDirectory.load(from: home).registrations)
                        unreadable = false
                    } catch {
                        if !unreadable { logger.error("cannot read the webhook registrations", metadata: ["error": "\(error)"]) }
                        unreadable = true
                    }
                    for registration in registry.toStart() {
                        let signer: WebhookSigner
                        do {
                            signer = WebhookSigner(secret: try WebhookDirectory.secret(of: registration.id, in: home))
                        } catch {
                            registry.unusable(registration)
                            logger.error("webhook endpoint has no usable secret; fix it and add the endpoint again", metadata: ["webhook": "\(registration.id)", "error": "\(error)"])
                            continue
                        }
                        let loop = WebhookEndpointLoop(
                            registration: registration, signer: signer, store: store, sender: sender, logger: logger,
                            pollInterval: pollInterval, isCurrent: { registry.isCurrent(registration) })
                        group.addTask {
                            await loop.run()
                            registry.finished(registration.id)
                        }
                    }
                    do { try await Task.sleep(for: pollInterval) } catch { break }
                }
            }
        }
        await sender.shutdown()
    }

    /// The registrations last read, and which endpoints have a loop running.
    final class Registry: Sendable {
        private struct State {
            var current: [String: WebhookRegistration] = [:]
            var running: Set<String> = []
            var failedSecret: [String: WebhookRegistration] = [:]
        }

        private let state = Mutex(State())

        func set(_ registrations: [String: WebhookRegistration]) {
            state.withLock { $0.current = registrations }
        }

        /// Registrations without a running loop; marks them running. A loop whose registration changed
        /// ends first (it sees `isCurrent` false), so one endpoint never has two requests in flight.
        func toStart() -> [WebhookRegistration] {
            state.withLock { state in
                let due = state.current.values.filter { !state.running.contains($0.id) && state.failedSecret[$0.id] != $0 }
                for registration in due { state.running.insert(registration.id) }
                return due.sorted { $0.id < $1.id }
            }
        }

        func isCurrent(_ registration: WebhookRegistration) -> Bool {
            state.withLock { $0.current[registration.id] == registration }
        }

        /// Not started again until its registration changes (its secret could not be read).
        func unusable(_ registration: WebhookRegistration) {
            state.withLock { state in
                state.running.remove(registration.id)
                state.failedSecret[registration.id] = registration
            }
        }

        func finished(_ id: String) {
            state.withLock { state in _ = state.running.remove(id) }
        }
    }
}
