import AllianceTestSupport
import Crypto
import ExchangeAudit
import ExchangeRuntime
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 14: `serve` and `coordinator serve` end within 2 s of SIGTERM or SIGINT with exit status 0,
/// whatever their loops are doing, leave an audit log that verifies, and log no error for an ordinary stop.
@Suite("Operations: graceful stop", .serialized)
struct GracefulStopTests {
    /// How long a stop may take, signal to exit, on this (loaded, shared) machine.
    static let limit: Duration = .seconds(2)

    @Test("serve with a long sync interval, a peer that is down and a coordinator that is down exits 0 within 2 s of SIGTERM, audit log intact, no error line")
    func serveStopsPromptlyWhileItsPeerAndCoordinatorAreDown() async throws {
        let alliance = try TestAlliance("stop-serve")
        defer { alliance.shutdown() }
        let (nodes, _) = try await alliance.createMembers(2, coordinator: true)
        let (alpha, beta) = (nodes[0], nodes[1])
        try alliance.setSyncInterval(300, for: alpha)
        let server = try await alliance.serve(alpha, sync: true)
        // Let the first round fail against the peer that is down, so the loop is in its backoff wait.
        try await Self.waitForMetric("exchange_node_sync_rounds_total{outcome=\"error\",peer=\"\(beta.member)\"}", at: alpha, in: alliance)

        let (result, elapsed) = await Self.stop(server, with: SIGTERM, in: alliance)
        #expect(result.exitCode == 0 && result.exitedNormally, "\(result)")
        #expect(elapsed < Self.limit, "SIGTERM to exit took \(elapsed)")
        #expect(Self.errorLines(result.stderr).isEmpty, "error lines on an ordinary stop: \(Self.errorLines(result.stderr))")
        let verify = try await alliance.run(["audit", "verify", "--home", alpha.home.path])
        #expect(verify.succeeded, "\(verify)")
        let log = try String(contentsOf: alpha.home.appending(path: "audit/audit.log"), encoding: .utf8)
        #expect(log.contains("\"node.stop\""), "the stop is the last audited action")
    }

    @Test("serve in the middle of a sync round with a peer that never answers exits 0 within 2 s of SIGINT")
    func serveStopsInTheMiddleOfASyncRound() async throws {
        let alliance = try TestAlliance("stop-mid-round")
        defer { alliance.shutdown() }
        try await alliance.createCA()
        let alpha = try await alliance.createNode("alpha")
        try await alliance.issue("stall")
        let stall = try await FakePeer(caDirectory: alliance.path("CA"), member: "stall") { _ in .stall }
        defer { Task { await stall.stop() } }
        try await alliance.addPeer("stall", url: stall.url, to: alpha)
        try alliance.setSyncInterval(300, for: alpha)
        let server = try await alliance.serve(alpha, sync: true)
        // The round is in flight: the fake peer got the feed request and holds it.
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        while stall.requests.isEmpty, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(50)) }
        try #require(!stall.requests.isEmpty, "serve never asked the stalling peer for its feed")

        let (result, elapsed) = await Self.stop(server, with: SIGINT, in: alliance)
        #expect(result.exitCode == 0 && result.exitedNormally, "\(result)")
        #expect(elapsed < Self.limit, "SIGINT to exit took \(elapsed)")
        #expect(Self.errorLines(result.stderr).isEmpty, "error lines on an ordinary stop: \(Self.errorLines(result.stderr))")
        #expect(try await alliance.run(["audit", "verify", "--home", alpha.home.path]).succeeded)
    }

    @Test("serve exits 0 within 2 s of SIGTERM while a live peer that syncs from it holds a connection open")
    func serveStopsWhileAPeerHoldsAConnection() async throws {
        let alliance = try TestAlliance("stop-live-peer")
        defer { alliance.shutdown() }
        let (nodes, _) = try await alliance.createMembers(2)
        let (alpha, beta) = (nodes[0], nodes[1])
        try await alliance.must(["import", "--home", alpha.home.path,
                                 alliance.write("entry_id,list,category,severity,kind,identifier,listed_on,expires_on\n"
                                                + "A1,black,brushing,2,phone,13912340001,2026-01-01,2099-01-01\n", to: "a.csv").path])
        for node in [alpha, beta] { try alliance.setSyncInterval(1, for: node) }
        let server = try await alliance.serve(alpha, sync: true)
        let peer = try await alliance.serve(beta, sync: true)
        defer { peer.killNow() }
        // beta has pulled alpha's feed: its client keeps the connection to alpha's listener open between rounds.
        try await Self.waitForMetric("exchange_node_sync_rounds_total{outcome=\"ok\",peer=\"\(alpha.member)\"}", at: beta, in: alliance)

        // NIOSSL waited 5 s for the peer's close_notify on that connection (its default shutdownTimeout).
        let (result, elapsed) = await Self.stop(server, with: SIGTERM, in: alliance)
        #expect(result.exitCode == 0 && result.exitedNormally, "\(result)")
        #expect(elapsed < Self.limit, "SIGTERM to exit took \(elapsed)")
        #expect(Self.errorLines(result.stderr).isEmpty, "error lines on an ordinary stop: \(Self.errorLines(result.stderr))")
    }

    @Test("coordinator serve exits 0 within 2 s of SIGTERM, with its audit log intact and no error line")
    func coordinatorStopsPromptly() async throws {
        let alliance = try TestAlliance("stop-coordinator")
        defer { alliance.shutdown() }
        let (_, coordinator) = try await alliance.createMembers(1, coordinator: true)
        let server = try await alliance.serve(try #require(coordinator))
        try await Task.sleep(for: .milliseconds(300))

        let (result, elapsed) = await Self.stop(server, with: SIGTERM, in: alliance)
        #expect(result.exitCode == 0 && result.exitedNormally, "\(result)")
        #expect(elapsed < Self.limit, "SIGTERM to exit took \(elapsed)")
        #expect(Self.errorLines(result.stderr).isEmpty, "error lines on an ordinary stop: \(Self.errorLines(result.stderr))")
        let home = try #require(coordinator).home
        let key = try P256.Signing.PrivateKey(pemRepresentation: String(contentsOf: home.appending(path: "keys/coordinator.key.pem"), encoding: .utf8))
        let verification = try AuditLog.verify(directory: home.appending(path: "audit").path, publicKey: key.publicKey)
        #expect(verification.isIntact, "\(verification.reportLines)")
        let log = try String(contentsOf: home.appending(path: "audit/audit.log"), encoding: .utf8)
        #expect(log.contains("\"coordinator.stop\""))
    }

    @Test("serve --log-format json writes every log line as one JSON object with a level and a message")
    func jsonLogLines() async throws {
        let alliance = try TestAlliance("stop-json-log")
        defer { alliance.shutdown() }
        let (nodes, _) = try await alliance.createMembers(2)
        let server = try alliance.start(["serve", "--home", nodes[0].home.path, "--log-format", "json"], label: "serve json")
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        while !FreePort.isListening(nodes[0].internalPort), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(40)) }
        // The peer is down: at least one warning besides the start notice.
        try await Self.waitForMetric("exchange_node_sync_rounds_total{outcome=\"error\",peer=\"\(nodes[1].member)\"}", at: nodes[0], in: alliance)
        let (result, _) = await Self.stop(server, with: SIGTERM, in: alliance)
        #expect(result.exitCode == 0, "\(result)")
        let lines = result.stderr.split(separator: "\n")
        #expect(lines.count >= 3, "\(result.stderr)")
        for line in lines {
            let object = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any], "not a JSON object: \(line)")
            #expect(object["level"] is String && object["message"] is String && object["timestamp"] is String, "\(line)")
        }
        #expect(result.stderr.contains("\"message\":\"sync failed\""), "\(result.stderr)")
    }

    // MARK: - Helpers

    /// Sends `signal` and waits for the end; the time from the signal to the exit.
    static func stop(_ server: ChildProcess, with signal: Int32, in alliance: TestAlliance) async -> (ProcessResult, Duration) {
        let start = ContinuousClock.now
        server.send(signal)
        let result = await server.finish(timeout: .seconds(30))
        let elapsed = ContinuousClock.now - start
        alliance.record(result)
        // For the record (docs/operations.md quotes these): signal to exit, in milliseconds.
        print("stop: \(server.label), signal \(signal) → exit \(result.exitCode) in \(elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000) ms")
        return (result, elapsed)
    }

    /// Log lines at level error or critical, in the text format (`TIMESTAMP LEVEL LABEL: ...`) or JSON.
    static func errorLines(_ stderr: String) -> [Substring] {
        stderr.split(separator: "\n").filter { line in
            let words = line.split(separator: " ", maxSplits: 2)
            return (words.count > 1 && (words[1] == "error" || words[1] == "critical"))
                || line.contains("\"level\":\"error\"") || line.contains("\"level\":\"critical\"")
        }
    }

    /// Polls `/metrics` (no token) until a series with this name and labels appears.
    static func waitForMetric(_ series: String, at node: TestNode, in alliance: TestAlliance) async throws {
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        while ContinuousClock.now < deadline {
            let metrics = try await alliance.curl([node.internalURL + "/metrics"])
            if metrics.stdout.contains(series) { return }
            try await Task.sleep(for: .milliseconds(100))
        }
        throw HarnessError("\(series) did not appear at \(node.member)'s /metrics within 30 s")
    }
}
