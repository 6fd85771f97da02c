import AllianceTestSupport
import ExchangeRuntime
import Foundation
import Testing

/// Strangers on the network, played by /usr/bin/curl and openssl against alpha's peer listener: only a
/// certificate from the alliance CA gets a TLS session, and only a configured peer gets data.
@Suite("EndToEnd: outside clients against the mTLS peer listener")
struct EndToEndOutsideClientTests {
    @Test("no cert or a foreign CA's cert fails the handshake, a non-peer gets 403, a peer gets 200 over TLS 1.3")
    func peerListenerAdmission() async throws {
        let workspace = try TestAlliance("outside")
        defer { workspace.shutdown() }
        try await workspace.createCA("CA")
        let alpha = try await workspace.createNode("alpha")
        try await workspace.issue("beta", caDir: "CA")
        try await workspace.issue("gamma", caDir: "CA")  // alliance member, not alpha's peer
        let betaAddress = TestNode(member: "beta", home: workspace.path("unused"),
                                  peerPort: try FreePort.find(), internalPort: try FreePort.find())
        try await workspace.addPeer(betaAddress, to: alpha)
        try await workspace.createCA("CA-foreign")
        try await workspace.issue("beta", caDir: "CA-foreign")  // same name, wrong CA
        try await workspace.must(["import", "--home", alpha.home.path,
                                   try workspace.write(E2EFixtures.phoneEntriesCSV(count: 3), to: "e.csv").path])
        try await workspace.serve(alpha)

        let caFile = workspace.path("CA/ca.pem").path
        let feed = "\(alpha.peerURL)/v1/feed?after=0"
        func identity(_ ca: String, _ member: String) -> [String] {
            let dir = workspace.path("\(ca)/members/\(member)").path
            return ["--cert", "\(dir)/cert.pem", "--key", "\(dir)/key.pem"]
        }

        let anonymous = try await workspace.curl(["--cacert", caFile, "-o", "/dev/null", feed])
        #expect([35, 56].contains(anonymous.exitCode) && !anonymous.killedBySignal, "no client cert: \(anonymous)")

        let foreign = try await workspace.curl(["--cacert", caFile, "-o", "/dev/null"] + identity("CA-foreign", "beta") + [feed])
        #expect([35, 56].contains(foreign.exitCode) && !foreign.killedBySignal, "foreign CA cert: \(foreign)")

        let stranger = try await workspace.curl(E2EHTTPReply.statusArguments + ["--cacert", caFile] + identity("CA", "gamma") + [feed])
        let strangerReply = try #require(E2EHTTPReply(stranger), "\(stranger)")
        #expect(strangerReply.status == 403, "non-peer member: \(strangerReply.status) \(strangerReply.body)")

        let peer = try await workspace.curl(
            ["--cacert", caFile, "-o", workspace.path("feed.bin").path, "--write-out", "%{http_code}"]
                + identity("CA", "beta") + [feed])
        #expect(peer.succeeded && peer.stdout == "200", "peer beta: \(peer)")
        let feedBytes = (try? Data(contentsOf: workspace.path("feed.bin"))) ?? Data()
        #expect(feedBytes.count > 100, "feed page is \(feedBytes.count) bytes")

        let dir = workspace.path("CA/members/beta").path
        let handshake = try await workspace.tool(
            TestPaths.openssl,
            ["s_client", "-connect", "127.0.0.1:\(alpha.peerPort)", "-cert", "\(dir)/cert.pem",
             "-key", "\(dir)/key.pem", "-CAfile", caFile],
            label: "openssl s_client")
        #expect(handshake.stdout.contains("TLSv1.3"), "\(handshake)")
        #expect(handshake.stdout.contains("Verify return code: 0 (ok)"), "server cert must chain to the CA: \(handshake)")
    }
}
