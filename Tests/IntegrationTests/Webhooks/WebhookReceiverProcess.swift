import Foundation

/// The member's receiver (Tests/Fixtures/webhook_receiver.py) as a separate process: it verifies every
/// signature, applies each record once by seq, and keeps what it got in `state` (see the script).
struct WebhookReceiverProcess: Sendable {
    static let script = E2EPaths.packageRoot.appending(path: "Tests/Fixtures/webhook_receiver.py")

    let workspace: E2EWorkspace
    let state: URL
    let secretFile: URL
    let port: Int

    /// Starts the receiver on `port` (a fresh one the first time) and waits until it listens.
    static func start(in workspace: E2EWorkspace, name: String = "receiver", port: Int? = nil, secretFile: URL? = nil,
                      options: [String] = []) async throws -> (WebhookReceiverProcess, E2EChildProcess)
    {
        let state = workspace.path(name)
        let secretFile = secretFile ?? workspace.path("\(name).secret")
        if !FileManager.default.fileExists(atPath: secretFile.path) {
            try Data("whsec-\(UUID().uuidString)\n".utf8).write(to: secretFile)
        }
        let port = try port ?? E2EPorts.freePort()
        let child = try workspace.launch(URL(fileURLWithPath: "/usr/bin/env"),
                                         ["python3", script.path, "--state", state.path, "--secret-file", secretFile.path,
                                          "--port", String(port)] + options, label: name)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(20))
        while !E2EPorts.isAccepting(port: port) {
            guard clock.now < deadline, child.isRunning else { throw E2EHarnessError("the webhook receiver did not start") }
            try await Task.sleep(for: .milliseconds(50))
        }
        return (WebhookReceiverProcess(workspace: workspace, state: state, secretFile: secretFile, port: port), child)
    }

    var url: String { "http://127.0.0.1:\(port)/hooks/exchange" }

    private func lines(_ file: String) -> [String] {
        guard let data = try? Data(contentsOf: state.appending(path: file)) else { return [] }
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init)
    }

    /// The records it applied, in the order it applied them: (seq, record JSON re-serialised with sorted keys).
    var applied: [(seq: Int64, record: String)] {
        lines("applied.jsonl").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let seq = (object["seq"] as? NSNumber)?.int64Value, let record = object["record"] else { return nil }
            return (seq, Self.canonical(record))
        }
    }

    var duplicates: Int { lines("duplicates.log").count }
    var rejected: [String] { lines("rejected.log") }
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
