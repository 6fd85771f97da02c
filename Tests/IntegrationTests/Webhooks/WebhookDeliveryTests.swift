import AllianceTestSupport
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
    /// Entry E`n` lists phone `n`; account acct-`n` is phone `n`.
    static func phone(_ n: Int) -> String { "+86139" + String(10_000_000 + n).suffix(8) }

    /// One node, `alpha`, with 60 entries.
    static func setUp(_ name: String) async throws -> (TestAlliance, TestNode) {
        let alliance = try TestAlliance(name)
        try await alliance.createCA()
        let node = try await alliance.createNode("alpha")
        var csv = "entry_id,list,category,severity,kind,identifier,listed_on,expires_on\n"
        for n in 1...60 { csv += "E\(n),black,brushing,2,phone,\(phone(n)),2026-01-01,\n" }
        #expect(try await alliance.importEntries(csv, at: node).succeeded)
        return (alliance, node)
    }

    /// Screens acct-N for every N in `numbers` through the internal API (one new match record each).
    static func screen(_ alliance: TestAlliance, _ node: TestNode, _ numbers: ClosedRange<Int>) async throws {
        let items = numbers.map { #"{"ref":"acct-\#($0)","kind":"phone","identifier":"\#(phone($0))"}"# }.joined(separator: ",")
        let answer = try await alliance.internalAPI(node, "POST", "/v1/screen", body: "{\"items\":[\(items)]}")
        #expect(answer.status == 200 && answer.body.contains("\"entry_id\":\"E\(numbers.lowerBound)\""), "\(answer)")
    }

    /// The outbox as `GET /v1/outbox` serves it: (seq, record re-serialised with sorted keys).
    static func outbox(_ alliance: TestAlliance, _ node: TestNode) async throws -> [(seq: Int64, record: String)] {
        let answer = try await alliance.internalAPI(node, "GET", "/v1/outbox?after=0&limit=10000")
        return answer.body.split(separator: "\n").compactMap { line in
            guard let object = try? JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let seq = (object["seq"] as? NSNumber)?.int64Value, let record = object["record"] else { return nil }
            return (seq, WebhookReceiverProcess.canonical(record))
        }
    }

    static func waitUntil(_ what: String, timeout: Duration = .seconds(60), _ condition: () async throws -> Bool) async throws {
        let deadline = ContinuousClock.now.advanced(by: timeout)
        while try await !condition() {
            guard ContinuousClock.now < deadline else { throw HarnessError("timed out waiting until \(what)") }
            try await Task.sleep(for: .milliseconds(100))
        }
    }

    /// `webhooks list --json`.
    static func endpoints(_ alliance: TestAlliance, _ node: TestNode) async throws -> [[String: Any]] {
        let result = try await alliance.run(["webhooks", "list", "--home", node.home.path, "--json"])
        return (try? JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [[String: Any]]) ?? []
    }

    static func kill(_ server: ChildProcess) async {
        server.killNow()
        _ = await server.finish(timeout: .seconds(5))
    }

    @Test("with the receiver and the node killed in between, the receiver ends with every record exactly once, in order")
    func everyRecordExactlyOnceThroughKills() async throws {
        let (alliance, node) = try await Self.setUp("webhooks-kills")
        var receiver = try await WebhookReceiverProcess.start(in: alliance)
        defer { receiver.process.killNow(); alliance.shutdown() }
        try await alliance.must(["webhooks", "add", "--home", node.home.path, "--url", receiver.url, "--id", "enforcement",
                                 "--secret-file", receiver.secretFile.path, "--batch-size", "7", "--max-backoff", "1"])
        var server = try await alliance.serve(node)

        // 1. Delivered while both run.
        try await Self.screen(alliance, node, 1...20)
        try await Self.waitUntil("20 records arrive") { receiver.applied.count == 20 }

        // 2. The receiver dies; records keep coming; the node is SIGKILLed while it retries.
        await receiver.kill()
        try await Self.screen(alliance, node, 21...40)
        try await Task.sleep(for: .seconds(2))
        await Self.kill(server)

        // 3. Records written while the node is down (revocations: one retraction per matched account).
        for n in 1...5 { try await alliance.must(["revoke", "--home", node.home.path, "--entry", "E\(n)", "--reason", "erroneous"]) }

        // 4. Both come back (the receiver from its own state); the node is SIGKILLed again in the middle of
        //    the backlog, then restarted.
        receiver = try await WebhookReceiverProcess.start(in: alliance, port: receiver.port, secretFile: receiver.secretFile)
        server = try await alliance.serve(node)
        try await Self.screen(alliance, node, 41...60)
        try await Self.waitUntil("some of the backlog arrives") { receiver.applied.count > 25 }
        await Self.kill(server)
        server = try await alliance.serve(node)

        let outbox = try await Self.outbox(alliance, node)
        #expect(outbox.map(\.seq) == Array(1...65), "outbox: \(outbox.map(\.seq))")
        try await Self.waitUntil("the receiver has all \(outbox.count) records") { receiver.applied.count >= outbox.count }
        let applied = receiver.applied
        #expect(applied.map(\.seq) == outbox.map(\.seq), "applied seqs: \(applied.map(\.seq))")
        #expect(applied.map(\.record) == outbox.map(\.record), "the records differ from the outbox's")
        #expect(applied.filter { $0.record.contains("\"type\":\"retraction\"") }.count == 5)
        #expect(receiver.rejected.isEmpty, "refused deliveries: \(receiver.rejected)")
        // Duplicates on the wire are allowed (a kill between the 2xx and the commit) and discarded by seq.
        #expect(receiver.duplicates <= 3 * 7, "duplicates: \(receiver.duplicates)")

        // No body ever carried an identifier, in any spelling.
        let bodies = receiver.bodies.joined(separator: "\n")
        #expect(bodies.contains("\"ref\":\"acct-60\""))
        for n in 1...60 {
            let canonical = Self.phone(n)
            #expect(!bodies.contains(canonical) && !bodies.contains(String(canonical.dropFirst(3))), "a body holds phone \(n)")
        }
        let endpoint = try await Self.endpoints(alliance, node).first
        #expect(endpoint?["state"] as? String == "active" && (endpoint?["through_seq"] as? NSNumber)?.int64Value == 65
                && (endpoint?["lag"] as? NSNumber)?.int64Value == 0, "\(String(describing: endpoint))")
        // Polling keeps working beside webhooks, with its own cursor.
        let read = try await alliance.internalAPI(node, "GET", "/v1/outbox?after=60")
        #expect(read.status == 200 && read.body.split(separator: "\n").count == 5)
        let ack = try await alliance.internalAPI(node, "POST", "/v1/outbox/ack?through=10&consumer=poller")
        #expect(ack.status == 200 && ack.body == #"{"consumer":"poller","through":10}"#, "\(ack)")
        _ = server
    }

    @Test("an endpoint that keeps failing is marked failing in status and /metrics, and resumes where it stopped")
    func failingThenResuming() async throws {
        let (alliance, node) = try await Self.setUp("webhooks-failing")
        let receiver = try await WebhookReceiverProcess.start(in: alliance, options: ["--fail-first", "4"])
        defer { receiver.process.killNow(); alliance.shutdown() }
        try await alliance.must(["webhooks", "add", "--home", node.home.path, "--url", receiver.url, "--id", "enforcement",
                                 "--secret-file", receiver.secretFile.path, "--types", "match", "--max-attempts", "3",
                                 "--max-backoff", "2"])
        try await alliance.serve(node)
        try await Self.screen(alliance, node, 1...5)

        try await Self.waitUntil("the endpoint is marked failing") {
            try await Self.endpoints(alliance, node).first?["state"] as? String == "failing"
        }
        let status = try await alliance.run(["status", "--home", node.home.path])
        #expect(status.stdout.contains("enforcement\tfailing") && status.stdout.contains("last error: http 503"), "\(status.stdout)")
        let metrics = try await alliance.curl([node.internalURL + "/metrics"])
        #expect(metrics.stdout.contains(#"exchange_node_webhook_failing{webhook="enforcement"} 1.0"#), "\(metrics.stdout)")

        try await Self.waitUntil("the endpoint recovers and gets every record") { receiver.applied.count == 5 }
        try await Self.waitUntil("the endpoint is active again") {
            try await Self.endpoints(alliance, node).first?["state"] as? String == "active"
        }
        #expect(receiver.applied.map(\.seq) == [1, 2, 3, 4, 5])
        #expect(receiver.statuses == ["503", "503", "503", "503", "200"], "\(receiver.statuses)")
        let after = try await alliance.curl([node.internalURL + "/metrics"])
        #expect(after.stdout.contains(#"exchange_node_webhook_failing{webhook="enforcement"} 0.0"#), "\(after.stdout)")
        #expect(after.stdout.contains(#"exchange_node_webhook_delivered_records_total{webhook="enforcement"} 5"#), "\(after.stdout)")
    }

    @Test("serve stops within 2 s of SIGTERM while a delivery hangs, and the batch is sent again after the restart")
    func stopsPromptlyDuringADelivery() async throws {
        let (alliance, node) = try await Self.setUp("webhooks-stop")
        let hanging = try await WebhookReceiverProcess.start(in: alliance, options: ["--hang"])
        defer { hanging.process.killNow(); alliance.shutdown() }
        try await alliance.must(["webhooks", "add", "--home", node.home.path, "--url", hanging.url, "--id", "enforcement",
                                 "--secret-file", hanging.secretFile.path])
        let server = try await alliance.serve(node)
        try await Self.screen(alliance, node, 1...3)
        try await Self.waitUntil("a delivery is in flight") { hanging.statuses.contains("hang") }

        let start = ContinuousClock.now
        server.send(SIGTERM)
        let result = await server.finish(timeout: .seconds(10))
        let took = ContinuousClock.now - start
        #expect(result.succeeded, "\(result)")
        #expect(took < .seconds(2), "serve took \(took) to stop")
        #expect(!result.stderr.contains(" error "), "\(result.stderr)")

        // The cancelled batch was not acknowledged: an answering receiver on the same port gets it after the restart.
        await hanging.kill()
        let receiver = try await WebhookReceiverProcess.start(in: alliance, name: "answering", port: hanging.port,
                                                              secretFile: hanging.secretFile)
        defer { receiver.process.killNow() }
        try await alliance.serve(node)
        try await Self.waitUntil("the three records arrive") { receiver.applied.count == 3 }
        #expect(receiver.applied.map(\.seq) == [1, 2, 3] && receiver.rejected.isEmpty)
    }
}
