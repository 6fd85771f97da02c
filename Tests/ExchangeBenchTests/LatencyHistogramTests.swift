import Testing

@testable import ExchangeBench

@Suite("Bench: latency histogram")
struct LatencyHistogramTests {
    @Test("percentiles are within one bucket (about 1 %) of the exact ones")
    func percentiles() {
        var histogram = LatencyHistogram()
        #expect(histogram.percentile(0.99) == 0)
        for step in 1...10_000 { histogram.record(milliseconds: Double(step) / 100) }  // 0.01 ... 100 ms
        #expect(histogram.total == 10_000)
        for (p, exact) in [(0.5, 50.0), (0.99, 99.0), (0.01, 1.0)] {
            let read = histogram.percentile(p)
            #expect(read >= exact && read <= exact * 1.02, "p\(p): \(read) vs \(exact)")
        }
        histogram.record(milliseconds: 1e9)  // beyond the last bucket: counted, not lost
        #expect(histogram.total == 10_001 && histogram.percentile(1.0) >= 1e5)
    }
}
