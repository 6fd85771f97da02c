import ExchangeCrypto
import Foundation

/// Prints aligned rows: figure, value, goal.
package final class BenchTable: @unchecked Sendable {
    package init() {}

    package func header() {
        print(pad("figure", 46) + pad("value", 26) + "goal")
        print(String(repeating: "-", count: 90))
    }

    func row(_ figure: String, _ value: String, goal: String = "") {
        print(pad(figure, 46) + pad(value, 26) + goal)
        fflush(nil)
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + " " : text + String(repeating: " ", count: width - text.count)
    }

    static func rate(_ count: Int, _ seconds: Double, _ unit: String) -> String {
        let perSecond = Double(count) / max(seconds, 1e-9)
        return perSecond >= 1e6 ? String(format: "%.2f M %@/s", perSecond / 1e6, unit) : String(format: "%.1f k %@/s", perSecond / 1e3, unit)
    }
}
