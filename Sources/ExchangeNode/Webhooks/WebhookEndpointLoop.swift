import ExchangeRuntime
import Foundation
import Logging

/// Delivers one endpoint's records, in order, one request at a time, until its registration changes
/// or the task is cancelled (a stop). Every outcome is committed to `webhook_deliveries` before the
/// next request, so a restart resumes from the last acknowledged seq.
struct WebhookEndpointLoop: Sendable {
    let registration: WebhookRegistration
    let signer: WebhookSigner
    let store: NodeStore
    let sender: WebhookSender
    let logger: Logger
    let pollInterval: Duration
    /// Whether `registration` is still the one registered (the service's view of the directory).
    let isCurrent: @Sendable () -> Bool

    func run() async {
        let id = registration.id
        let backoff = WebhookBackoff(maximum: registration.maxBackoffSeconds)
        let metrics = WebhookMetrics(webhook: id)
        while !Task.isCancelled && isCurrent() {
            do {
                let (known, head) = try store.read { db in (try WebhookStateTable.read(id, db), try WebhookBatch.head(db)) }
                // The first time an endpoint is seen, its state starts at the registration's `start_after`.
                let state: WebhookDeliveryState
                if let known {
                    state = known
                } else {
                    state = try store.write { db in try WebhookStateTable.ensure(id, startAfter: registration.startAfter, db) }
                }
                metrics.show(state, head: head)
                let now = NodeClock.nowMillis()
                if let due = state.nextAttemptAt, due > now {
                    try await Task.sleep(for: min(.milliseconds(due - now), pollInterval))
                    continue
                }
                let batch = try store.read { db in
                    try WebhookBatch.next(after: state.throughSeq, types: registration.types, limit: registration.batchSize, db)
                }
                guard let last = batch.lastSeq else {
                    if batch.skippableThrough > state.throughSeq {
                        try store.write { db in try WebhookStateTable.skip(id, through: batch.skippableThrough, db) }
                        continue
                    }
                    try await Task.sleep(for: pollInterval)
                    continue
                }
                let outcome = try await sender.send(batch.body(webhook: id), to: registration, signer: signer)
                switch outcome {
                case .acknowledged:
                    try store.write { db in
                        try WebhookStateTable.acknowledge(id, through: last, count: batch.records.count, at: NodeClock.nowMillis(), db)
                    }
                    metrics.attemptsOK.increment()
                    metrics.delivered.increment(by: batch.records.count)
                    if state.state == .failing {
                        logger.notice("webhook endpoint recovered", metadata: ["webhook": "\(id)", "through_seq": "\(last)"])
                    }
                case .failure(let reason):
                    let attempts = state.attempts + 1
                    let failing = attempts >= registration.maxAttempts
                    let wait = backoff.seconds(afterFailures: attempts)
                    try store.write { db in
                        try WebhookStateTable.fail(id, attempts: attempts, failing: failing,
                                                   next: NodeClock.nowMillis() + Int64(wait * 1000), error: reason, db)
                    }
                    metrics.attemptsFailed.increment()
                    if failing && state.state != .failing {
                        logger.warning("webhook endpoint is failing", metadata: [
                            "webhook": "\(id)", "attempts": "\(attempts)", "error": "\(reason)",
                            "pending_from_seq": "\(state.throughSeq + 1)",
                        ])
                    }
                }
            } catch is CancellationError {
                return
            } catch {
                // The store could not be read or written: try again after a pause (nothing was acknowledged).
                logger.error("webhook delivery cannot use the store", metadata: ["webhook": "\(id)", "error": "\(error)"])
                do { try await Task.sleep(for: .seconds(5)) } catch { return }
            }
        }
    }

}
