import ExchangeCrypto
import ExchangeNode
import ExchangeProtocol
import Foundation
import Hummingbird
import Logging

/// gamma-pay screens its accounts in the demo.
struct DemoScreening {
    let context: NodeContext
    let root: URL
    let day: Day

    func run(say: (String) -> Void) async throws -> Int {
        let file = root.appendingPathComponent("gamma-pay-accounts.csv")
        try DemoData.accounts.write(to: file, atomically: true, encoding: .utf8)
        let client = try NodeRuntime(context: context).makePeerClient()
        let service = try ScreeningService(context: context, client: client)
        var lines: [String] = []
        var rejects: [String] = []
        let summary = try await service.screenFile(path: file.path, day: day, record: true, progress: nil,
                                             emit: { lines.append($0) }, reject: { rejects.append($0) })
        await client.shutdown()
        say("gamma-pay screened \(summary.rows) accounts as of \(day): \(summary.matches.count) matches, \(summary.rejected) rejected row(s)")
        for match in summary.matches {
            print("           \(match.ref) ← \(match.origin)/\(match.entryID) \(match.list) \(match.category) sev \(match.severity) → \(match.measures.isEmpty ? "incentives " + match.incentives.joined(separator: ",") : match.measures.joined(separator: " "))")
        }
        for reject in rejects { print("           rejected: \(reject.replacingOccurrences(of: root.path + "/", with: ""))") }
        return summary.matches.count
    }
}
