/// The wait before attempt n+1 after n consecutive failures: 1 s × 2^(n-1), at most `maximum`, ±20 %.
struct WebhookBackoff: Sendable {
    let maximum: Double

    func seconds(afterFailures failures: Int, jitter: Double = Double.random(in: 0.8...1.2)) -> Double {
        let exponent = min(max(failures - 1, 0), 30)
        return min(Double(1 << exponent), maximum) * jitter
    }
}
