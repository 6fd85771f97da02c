import AllianceTestSupport
import ExchangeRuntime
import Foundation

/// The member's receiver (Tests/Fixtures/webhook_receiver.py) as a separate process: it verifies every
/// signature, applies each record once by seq, and keeps what it got in `state` (see the script).
struct WebhookReceiverProcess: Sendable {
    static let script = TestPaths.packageRoot.appending(path: "Tests/Fixtures/webhook_receiver.py")

    let state: URL
    let secretFile: URL
    let port: Int
    let process: ChildProcess

    /// Starts the receiver on `port` (a free one by default) with its state in `name/`, and waits until it
    /// listens. The secret is `secretFile`, or a new one in `name.secret`.
    static func start(in alliance: TestAlliance, name: String = "receiver", port: Int? = nil, secretFile: URL? = nil,
                      options: [String] = []) async throws -> WebhookReceiverProcess
    {
        let secretFile = try secretFile ?? alliance.write("whsec-\(UUID().uuidString)\n", to: "\(name).secret")
        let port = try port ?? FreePort.find()
        let state = alliance.path(name)
        let process = try alliance.launch(URL(fileURLWithPath: "/usr/bin/env"),
                                          ["python3", script.path, "--state", state.path, "--secret-file", secretFile.path,
                                           "--port", String(port)] + options, label: name)
        let deadline = ContinuousClock.now.advanced(by: .seconds(20))
        while !FreePort.isListening(port) {
            guard ContinuousClock.now < deadline, process.isRunning else {
                let result = await process.finish(timeout: .seconds(1))
                throw HarnessError("the webhook receiver did not start: \(result)")
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        return WebhookReceiverProcess(state: state, secretFile: secretFile, port: port, process: process)
    }

    var url: String { "http://127.0.0.1:\(port)/hooks/exchange" }

    /// SIGKILL, and wait until it is gone.
    func kill() async {
        process.killNow()
        _ = await process.finish(timeout: .seconds(5))
    }

    private func lines(_ file: String) -> [String] {
        guard let data = try? Data(contentsOf: state.appending(path: file)) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// The records it applied, in the order it applied them: (seq, record re-serialised with sorted keys).
    var applied: [(seq: Int64, record: String)] {
        lines("applied.jsonl").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let seq = (object["seq"] as? NSNumber)?.int64Value, let record = object["record"] else { return nil }
            return (seq, Self.canonical(record))
        }
    }

    /// Records received again at or below the last applied seq (discarded by the idempotency key).
    var duplicates: Int { lines("duplicates.log").count }
    /// Deliveries it refused (bad signature, stale timestamp, malformed body).
    var rejected: [String] { lines("rejected.log") }
    /// Every request body it received.
    var bodies: [String] { lines("bodies.log") }
    /// Answered statuses, in order ("hang" for a request it never answered).
    var statuses: [String] {
        lines("requests.log").compactMap { line in
            (try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]).map { "\($0["status"] ?? "?")" }
        }
    }

    static func canonical(_ value: Any) -> String {
        guard let data = try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .fragmentsAllowed]) else { return "?" }
        return String(decoding: data, as: UTF8.self)
    }
}
