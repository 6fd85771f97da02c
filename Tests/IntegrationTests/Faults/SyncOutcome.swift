import AllianceTestSupport
import ExchangeProtocol
import ExchangeRuntime
import Foundation

/// What `sync` printed: one `MEMBER\tok\t...` or `MEMBER\tFAILED\treason` line per peer.
struct SyncOutcome: CustomStringConvertible {
    let run: ProcessResult

    func line(_ member: String) -> String? {
        run.stdout.split(separator: "\n").map(String.init).first { $0.hasPrefix(member + "\t") }
    }

    func ok(_ member: String) -> Bool { line(member)?.hasPrefix("\(member)\tok\t") == true }
    func failed(_ member: String) -> Bool { line(member)?.hasPrefix("\(member)\tFAILED\t") == true }

    /// The number in `N applied` of the member's ok line.
    func applied(_ member: String) -> Int? {
        guard let line = line(member), ok(member) else { return nil }
        return line.split(separator: "\t")[2].split(separator: " ").first.flatMap { Int($0) }
    }

    var description: String { run.description }
}
