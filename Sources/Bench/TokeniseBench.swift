import ExchangeCrypto
import Foundation

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
