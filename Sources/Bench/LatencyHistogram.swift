import Foundation

/// Latencies in logarithmic buckets (about 1 % wide, 1 µs to 100 s): constant memory however
/// long a run lasts; percentiles are read back as the upper edge of their bucket.
struct LatencyHistogram: Sendable {
    private static let bucketsPerDecade = 230.0
    private static let lowestMilliseconds = 0.001
    private var counts = [Int](repeating: 0, count: Int(8 * bucketsPerDecade) + 1)
    private(set) var total = 0

    mutating func record(milliseconds: Double) {
        let position = log10(max(milliseconds, Self.lowestMilliseconds) / Self.lowestMilliseconds) * Self.bucketsPerDecade
        counts[min(counts.count - 1, Int(position))] += 1
        total += 1
    }

    /// The latency below which a fraction `p` of the recorded ones fall (0 when nothing was recorded).
    func percentile(_ p: Double) -> Double {
        guard total > 0 else { return 0 }
        let rank = max(1, min(total, Int((Double(total) * p).rounded(.up))))
        var seen = 0
        for (bucket, count) in counts.enumerated() {
            seen += count
            if seen >= rank { return Self.lowestMilliseconds * pow(10, Double(bucket + 1) / Self.bucketsPerDecade) }
        }
        return Self.lowestMilliseconds * pow(10, Double(counts.count) / Self.bucketsPerDecade)
    }
}
