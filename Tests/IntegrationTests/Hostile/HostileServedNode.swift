import AllianceTestSupport
import ExchangeRuntime
import Foundation
import Testing

/// A running node (alpha, serving three entries) and the member (beta) whose certificate the hostile
/// requests carry: beta is a configured peer, so requests get past authentication and reach the parsers.
struct HostileServedNode {
    let alliance: TestAlliance
    let alpha: TestNode
    let server: ChildProcess

    static func start(_ name: String) async throws -> HostileServedNode {
        let alliance = try TestAlliance(name)
        do {
            try await alliance.createCA()
            let alpha = try await alliance.createNode("alpha")
            try await alliance.issue("beta")
            try await alliance.addPeer("beta", url: "https://127.0.0.1:\(try FreePort.find())", to: alpha)
            let entries = try alliance.write(FaultFixtures.phoneEntries(count: 3, prefix: "A"), to: "alpha.csv")
            try await alliance.must(["import", "--home", alpha.home.path, entries.path])
            let server = try await alliance.serve(alpha)
            return HostileServedNode(alliance: alliance, alpha: alpha, server: server)
        } catch {
            alliance.shutdown()
            throw error
        }
    }

    /// curl as beta with `--write-out` giving the status on the last line; returns (status, body).
    func peerGET(_ pathAndQuery: String, headers: [String] = []) async throws -> (status: Int, body: String) {
        let result = try await alliance.curl(
            alliance.identity("beta") + headers.flatMap { ["-H", $0] } + ["--write-out", "\n%{http_code}", alpha.peerURL + pathAndQuery])
        guard result.succeeded, let newline = result.stdout.lastIndex(of: "\n"),
              let status = Int(result.stdout[result.stdout.index(after: newline)...])
        else { throw HarnessError("curl failed: \(result)") }
        return (status, String(result.stdout[..<newline]))
    }

    /// The server is still the same running process and still answers a valid feed request.
    func expectStillServing(sourceLocation: SourceLocation = #_sourceLocation) async throws {
        #expect(server.isRunning, "the peer listener process died", sourceLocation: sourceLocation)
        let feed = try await peerGET("/v1/feed?after=0")
        #expect(feed.status == 200, "valid feed request after the hostile ones: \(feed.status)", sourceLocation: sourceLocation)
    }
}
