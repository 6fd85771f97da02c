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

/// Tokenising on 1 and 2 threads.
package struct TokeniseBench {
    let count: Int

    package init(count: Int) {
        self.count = count
    }

    package func run(into table: BenchTable) {
        let tokenizer = KeyedHashTokenizer(key: .generate(epoch: 1, created: "bench"))
        let identifiers = (0..<count).map { SubjectIdentifier(kind: .phone, uncheckedCanonical: BenchData.phone($0)) }
        for threads in [1, 2] {
            let start = Date()
            let out = tokenizer.tokensInParallel(for: identifiers, threads: threads)
            table.row("tokenise keyed-hash, \(threads) thread\(threads == 1 ? "" : "s")", BenchTable.rate(out.count, Date().timeIntervalSince(start), "ids"),
                      goal: threads == 2 ? "≥ 1.5 M ids/s" : "")
        }
    }
}

/// Synthetic but valid data: distinct mainland mobile numbers.
enum BenchData {
    /// The i-th number in +86 139 xxxx xxxx (entries) — distinct for i < 10^8.
    static func phone(_ index: Int) -> String { "+86139" + eightDigits(index) }
    /// The i-th number in +86 158 xxxx xxxx (accounts that match nothing).
    static func otherPhone(_ index: Int) -> String { "+86158" + eightDigits(index) }

    static func eightDigits(_ value: Int) -> String {
        var digits = [UInt8](repeating: 48, count: 8)
        var rest = value % 100_000_000
        for position in stride(from: 7, through: 0, by: -1) {
            digits[position] = UInt8(48 + rest % 10)
            rest /= 10
        }
        return String(decoding: digits, as: UTF8.self)
    }
}
