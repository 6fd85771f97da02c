import AllianceTestSupport
import ExchangeRuntime
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Issue 14: `GET /v1/ready` on the internal listener, with no token, answers 503 naming the stale peer
/// while a peer is down and 200 once it is back; `/v1/health` answers while the process runs. The
/// coordinator's internal listener answers the same.
@Suite("Operations: health and readiness", .serialized)
struct ReadinessTests {
    @Test("curl /v1/ready with no token answers 503 naming the stale peer while it is down, and 200 when it is back")
    func readinessNamesTheStalePeer() async throws {
        let alliance = try TestAlliance("ready")
        defer { alliance.shutdown() }
        let (nodes, _) = try await alliance.createMembers(3)
        let (alpha, beta, gamma) = (nodes[0], nodes[1], nodes[2])
        try alliance.setSyncInterval(0.5, for: alpha)
        try Self.setReadyAge(3, for: alpha)
        let betaServer = try await alliance.serve(beta)
        try await alliance.serve(gamma)
        try await alliance.serve(alpha, sync: true)

        let ready = try await Self.waitForReady(alpha, status: 200, in: alliance)
        #expect(ready.body.contains("\"status\":\"ready\""), "\(ready.body)")
        #expect(ready.body.contains("peer-sync"), "the peer check was made: \(ready.body)")

        // beta goes down: alpha's readiness names it, and only it.
        _ = await alliance.stop(betaServer)
        let stale = try await Self.waitForReady(alpha, status: 503, in: alliance)
        let reasons = try Self.reasons(stale.body)
        #expect(reasons.map(\.check) == ["peer-sync"] && reasons.map(\.member) == [beta.member], "\(stale.body)")
        #expect(!stale.body.contains(gamma.member), "only the stale peer is named: \(stale.body)")
        let health = try await alliance.curl(["--write-out", "\n%{http_code}", alpha.internalURL + "/v1/health"])
        #expect(health.stdout.hasSuffix("\n200"), "liveness is not readiness: \(health)")

        // beta is back: alpha syncs it on its next attempt and is ready again.
        try await alliance.serve(beta)
        let back = try await Self.waitForReady(alpha, status: 200, in: alliance, within: .seconds(60))
        #expect(back.body.contains("\"reasons\":[]"), "\(back.body)")
    }

    @Test("the coordinator's internal listener answers /v1/health, /v1/ready and /metrics without a credential")
    func coordinatorInternalListener() async throws {
        let alliance = try TestAlliance("ready-coordinator")
        defer { alliance.shutdown() }
        let (_, made) = try await alliance.createMembers(1, coordinator: true)
        let coordinator = try #require(made)
        let port = try FreePort.find()
        let file = coordinator.home.appending(path: "coordinator.json")
        var config = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any] ?? [:]
        config["internal_listen"] = "127.0.0.1:\(port)"
        try JSONSerialization.data(withJSONObject: config, options: [.sortedKeys]).write(to: file)
        try await alliance.serve(coordinator)
        let deadline = ContinuousClock.now.advanced(by: .seconds(20))
        while !FreePort.isListening(port), ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(40)) }

        let base = "http://127.0.0.1:\(port)"
        let health = try await alliance.curl(["--write-out", "\n%{http_code}", base + "/v1/health"])
        #expect(health.stdout == "{\"coordinator\":\"coordinator\",\"status\":\"ok\"}\n200", "\(health)")
        let ready = try await alliance.curl(["--write-out", "\n%{http_code}", base + "/v1/ready"])
        #expect(ready.stdout.hasSuffix("\n200") && ready.stdout.contains("\"status\":\"ready\""), "\(ready)")
        let metrics = try await alliance.curl([base + "/metrics"])
        #expect(metrics.stdout.contains("exchange_coordinator_certificate_expiry_days{certificate=\"coordinator\"}"), "\(metrics)")
        // The mTLS listener still refuses a client without a certificate.
        let plain = try await alliance.curl(["--insecure", coordinator.url + "/v1/health"])
        #expect(!plain.succeeded, "\(plain)")
    }

    // MARK: - Helpers

    struct Reason: Decodable {
        let check: String
        let member: String?
        let detail: String
    }

    static func reasons(_ body: String) throws -> [Reason] {
        struct Answer: Decodable { let reasons: [Reason] }
        return try JSONDecoder().decode(Answer.self, from: Data(body.utf8)).reasons
    }

    static func setReadyAge(_ seconds: Double, for node: TestNode) throws {
        let file = node.home.appending(path: "node.json")
        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any] ?? [:]
        object["readyMaxSyncAgeSeconds"] = seconds
        try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]).write(to: file)
    }

    /// Polls `curl INTERNAL/v1/ready` (no token) until it answers `status`.
    static func waitForReady(_ node: TestNode, status: Int, in alliance: TestAlliance,
                             within limit: Duration = .seconds(30)) async throws -> (status: Int, body: String) {
        let deadline = ContinuousClock.now.advanced(by: limit)
        var last = ""
        while ContinuousClock.now < deadline {
            let result = try await alliance.curl(["--write-out", "\n%{http_code}", node.internalURL + "/v1/ready"])
            if let newline = result.stdout.lastIndex(of: "\n"), let code = Int(result.stdout[result.stdout.index(after: newline)...]) {
                last = result.stdout
                if code == status { return (code, String(result.stdout[..<newline])) }
            }
            try await Task.sleep(for: .milliseconds(200))
        }
        throw HarnessError("/v1/ready of \(node.member) did not answer \(status) within \(limit); last: \(last)")
    }
}
