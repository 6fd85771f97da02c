import Metrics

/// One endpoint's metrics (label `webhook` = its id; never its URL, never a record's content),
/// created once per endpoint loop.
struct WebhookMetrics: Sendable {
    let delivered: Counter
    let attemptsOK: Counter
    let attemptsFailed: Counter
    let failing: Gauge
    let lag: Gauge
    let lastSuccess: Gauge

    init(webhook id: String) {
        let label = [("webhook", id)]
        delivered = Counter(label: "exchange_node_webhook_delivered_records_total", dimensions: label)
        attemptsOK = Counter(label: "exchange_node_webhook_attempts_total", dimensions: [("outcome", "ok"), ("webhook", id)])
        attemptsFailed = Counter(label: "exchange_node_webhook_attempts_total", dimensions: [("outcome", "failed"), ("webhook", id)])
        failing = Gauge(label: "exchange_node_webhook_failing", dimensions: label)
        lag = Gauge(label: "exchange_node_webhook_lag_records", dimensions: label)
        lastSuccess = Gauge(label: "exchange_node_webhook_last_success_timestamp_seconds", dimensions: label)
    }

    func show(_ state: WebhookDeliveryState, head: Int64) {
        failing.record(state.state == .failing ? 1 : 0)
        lag.record(max(0, head - state.throughSeq))
        if let millis = state.lastSuccessAt { lastSuccess.record(Double(millis) / 1000) }
    }
}
