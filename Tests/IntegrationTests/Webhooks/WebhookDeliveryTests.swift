import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Webhook delivery against a real receiver in its own process (Tests/Fixtures/webhook_receiver.py), with
/// the receiver and the node killed in between: every outbox record arrives exactly once by seq, in
/// order, signed, and no body carries an identifier.
@Suite("Webhooks: delivery to a real receiver", .serialized)
struct WebhookDeliveryTests {
    /// 60 entries on 60 phone numbers; accounts acct-N screen phone N.
    static func phone(_ n: Int) -> String { "+86139\(String(format: "%08d", 10_000_000 + n).suffix(8))" }

    static func setUp(_ name: String) async throws -> (E2EWorkspace, E2ENode) {
        let workspace = try E2EWorkspace(name)
        try await workspace.createCA("CA")
        let node = try await workspace.createNode("alpha")
        var csv = E2EFixtures.entriesHeader + "\n"
        for n in 1...60 { csv += "E\(n),black,brushing,2,phone,\(phone(n)),2026-01-01,\n" }
        let file = try workspace.write(csv, to: "entries.csv")
        try await workspace.setUp(["import", "--home", node.home.path, file.path])
        return (workspace, node)
    }

    /// Screens acct-N for every N in `numbers` through the internal API (one new match record each).
    static func screen(_ workspace: E2EWorkspace, _ node: E2ENode, _ numbers: ClosedRange<Int>) async throws {
        let items = numbers.map { #"{"ref":"acct-\#($0)","kind":"phone","identifier":"\#(phone($0))"}"# }.joined(separator: ",")
        let result = try await workspace.curl(["-H", "Authorization: Bearer \(try node.internalToken())", "-H", "Content-Type: application/json",
                                               "-d", "{\"items\":[\(items)]}", node.internalURL + "/v1/screen"])
        #expect(result.succeeded && result.stdout.contains("\"matches\":["), "\(result)")
    }

    /// The outbox as `GET /v1/outbox` serves it: (seq, record re-serialised with sorted keys).
    static func outbox(_ workspace: E2EWorkspace, _ node: E2ENode) async throws -> [(seq: Int64, record: String)] {
        let result = try await workspace.curl(["-H", "Authorization: Bearer \(try node.internalToken())",
                                               node.internalURL + "/v1/outbox?after=0&limit=10000"])
        return result.stdout.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let seq = (object["seq"] as? NSNumber)?.int64Value, let record = object["record"] else { return nil }
            return (seq, WebhookReceiverProcess.canonical(record))
        }
    }

    static func waitUntil(_ what: String, timeout: Duration = .seconds(60), _ condition: () async throws -> Bool) async throws {
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: timeout)
        while try await !condition() {
            guard clock.now < deadline else { throw E2EHarnessError("timed out waiting until \(what)") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    static func webhooksList(_ workspace: E2EWorkspace, _ node: E2ENode) async throws -> [[String: Any]] {
        let result = try await workspace.node(["webhooks", "list", "--home", node.home.path, "--json"])
        return (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]) ?? []
    }

    @Test("with the receiver and the node killed in between, the receiver ends with every record exactly once, in order")
    func everyRecordExactlyOnceThroughKills() async throws {
        let (workspace, node) = try await Self.setUp("webhooks-kills")
        defer { workspace.shutdown() }
        var (receiver, receiverProcess) = try await WebhookReceiverProcess.start(in: workspace)
        try await workspace.setUp(["webhooks", "add", "--home", node.home.path, "--url", receiver.url, "--id", "enforcement",
                                   "--secret-file", receiver.secretFile.path, "--batch-size", "7", "--max-backoff", "1"])
        var server = try await workspace.serve(node)

        // 1. Delivered while both run.
        try await Self.screen(workspace, node, 1...20)
        try await Self.waitUntil("20 records arrive") { receiver.applied.count == 20 }

        // 2. The receiver dies; records keep coming; the node is SIGKILLed while it retries.
        receiverProcess.send(SIGKILL)
        _ = await receiverProcess.waitForExit(timeout: .seconds(5))
        try await Self.screen(workspace, node, 21...40)
        try await Task.sleep(for: .seconds(2))
        server.send(SIGKILL)
        _ = await server.waitForExit(timeout: .seconds(5))

        // 3. Records written while the node is down (revocations: one retraction per matched account).
        for n in 1...5 { try await workspace.setUp(["revoke", "--home", node.home.path, "--entry", "E\(n)", "--reason", "erroneous"]) }

        // 4. Both come back; the node is SIGKILLed again in the middle of the backlog, then restarted.
        (receiver, receiverProcess) = try await WebhookReceiverProcess.start(in: workspace, port: receiver.port)
        server = try await workspace.serve(node)
        try await Self.screen(workspace, node, 41...60)
        try await Self.waitUntil("some of the backlog arrives") { receiver.applied.count > 25 }
        server.send(SIGKILL)
        _ = await server.waitForExit(timeout: .seconds(5))
        server = try await workspace.serve(node)

        let outbox = try await Self.outbox(workspace, node)
        #expect(outbox.count == 65 && outbox.map(\.seq) == Array(1...65), "outbox: \(outbox.map(\.seq))")
        try await Self.waitUntil("the receiver has all \(outbox.count) records") { receiver.applied.count >= outbox.count }
        let applied = receiver.applied
        #expect(applied.map(\.seq) == outbox.map(\.seq), "applied seqs: \(applied.map(\.seq))")
        #expect(applied.map(\.record) == outbox.map(\.record), "the records differ from the outbox's")
        #expect(receiver.rejected.isEmpty, "refused deliveries: \(receiver.rejected)")
        // Duplicates are allowed on the wire (a kill between the 2xx and the commit), and only those.
        #expect(receiver.duplicates <= 3 * 7, "duplicates: \(receiver.duplicates)")

        // No body ever carried an identifier, in any spelling.
        let bodies = receiver.bodies.joined(separator: "\n")
        #expect(!bodies.isEmpty)
        for n in 1...60 {
            let canonical = Self.phone(n)
            #expect(!bodies.contains(canonical) && !bodies.contains(String(canonical.dropFirst(3))), "a body holds phone \(n)")
        }
        let list = try await Self.webhooksList(workspace, node)
        #expect(list.first?["state"] as? String == "active" && (list.first?["through_seq"] as? NSNumber)?.int64Value == 65, "\(list)")
        // Polling keeps working beside webhooks: the outbox cursor of a polling consumer is its own.
        let ack = try await workspace.curl(["-X", "POST", "-H", "Authorization: Bearer \(try node.internalToken())",
                                            node.internalURL + "/v1/outbox/ack?through=10&consumer=poller"])
        #expect(ack.stdout == #"{"consumer":"poller","through":10}"#, "\(ack)")
        _ = server
    }

    @Test("an endpoint that keeps failing is marked failing in status and /metrics, and resumes where it stopped")
    func failingThenResuming() async throws {
        let (workspace, node) = try await Self.setUp("webhooks-failing")
        defer { workspace.shutdown() }
        let (receiver, _) = try await WebhookReceiverProcess.start(in: workspace, options: ["--fail-first", "4"])
        try await workspace.setUp(["webhooks", "add", "--home", node.home.path, "--url", receiver.url, "--id", "enforcement",
                                   "--secret-file", receiver.secretFile.path, "--types", "match", "--max-attempts", "3",
                                   "--max-backoff", "2"])
        try await workspace.serve(node)
        try await Self.screen(workspace, node, 1...5)

        try await Self.waitUntil("the endpoint is marked failing") {
            try await Self.webhooksList(workspace, node).first?["state"] as? String == "failing"
        }
        let status = try await workspace.node(["status", "--home", node.home.path])
        #expect(status.stdout.contains("enforcement\tfailing") && status.stdout.contains("last error: http 503"), "\(status.stdout)")
        let metrics = try await workspace.curl([node.internalURL + "/metrics"])
        #expect(metrics.stdout.contains(#"exchange_node_webhook_failing{webhook="enforcement"} 1.0"#), "\(metrics.stdout)")

        try await Self.waitUntil("the endpoint recovers and gets every record") { receiver.applied.count == 5 }
        try await Self.waitUntil("the endpoint is active again") {
            try await Self.webhooksList(workspace, node).first?["state"] as? String == "active"
        }
        #expect(receiver.applied.map(\.seq) == [1, 2, 3, 4, 5])
        #expect(receiver.statuses == ["503", "503", "503", "503", "200"], "\(receiver.statuses)")
        let after = try await workspace.curl([node.internalURL + "/metrics"])
        #expect(after.stdout.contains(#"exchange_node_webhook_failing{webhook="enforcement"} 0.0"#))
        #expect(after.stdout.contains(#"exchange_node_webhook_delivered_records_total{webhook="enforcement"} 5"#))
    }

    @Test("serve stops within 2 s of SIGTERM while a delivery hangs, and the batch is sent again after the restart")
    func stopsPromptlyDuringADelivery() async throws {
        let (workspace, node) = try await Self.setUp("webhooks-stop")
        defer { workspace.shutdown() }
        let (hanging, hangingProcess) = try await WebhookReceiverProcess.start(in: workspace, options: ["--hang"])
        try await workspace.setUp(["webhooks", "add", "--home", node.home.path, "--url", hanging.url, "--id", "enforcement",
                                   "--secret-file", hanging.secretFile.path])
        let server = try await workspace.serve(node)
        try await Self.screen(workspace, node, 1...3)
        try await Self.waitUntil("a delivery is in flight") { hanging.statuses.contains("hang") }

        let clock = ContinuousClock()
        let start = clock.now
        server.send(SIGTERM)
        let result = await server.waitForExit(timeout: .seconds(10))
        let took = clock.now - start
        #expect(result.exitCode == 0 && !result.killedBySignal, "\(result)")
        #expect(took < .seconds(2), "serve took \(took) to stop")
        #expect(!result.stderr.contains("error"), "\(result.stderr)")

        // The cancelled batch was not acknowledged: a receiver that answers gets it after the restart.
        hangingProcess.send(SIGKILL)
        _ = await hangingProcess.waitForExit(timeout: .seconds(5))
        let (receiver, _) = try await WebhookReceiverProcess.start(in: workspace, name: "answering", port: hanging.port,
                                                                    secretFile: hanging.secretFile)
        try await workspace.serve(node)
        try await Self.waitUntil("the three records arrive") { receiver.applied.count == 3 }
        #expect(receiver.applied.map(\.seq) == [1, 2, 3] && receiver.rejected.isEmpty)
    }
}
