import AllianceTestSupport
import ExchangeRuntime
import Foundation
import NodeTestSupport
import Testing

@testable import ExchangeNode

/// Secrets readable by others stop the node before it listens.
@Suite("End to end: key files")
struct EndToEndKeyFileTests {
    static let member = "alpha-mall"

    @Test("`serve` refuses to start with a 0644 node key or token key, and nothing listens")
    func serveRefuses() async throws {
        let alliance = try TestAlliance("governance", nodes: [Self.member])
        defer { alliance.shutdown() }
        let home = alliance.home(Self.member)
        for file in [home.nodeKeyFile, home.tokenKeyFile] {
            chmod(file.path, 0o644)
            let serve = try await alliance.run(["serve", "--home", home.path, "--no-sync"], timeout: .seconds(30))
            #expect(serve.exitedNormally && !serve.succeeded, "\(serve)")
            #expect(serve.stderr.contains(NodeError.insecureKeyFile(file.path, mode: "644").description), "\(serve.stderr)")
            #expect(!FreePort.isListening(alliance.node(Self.member).peerPort))
            #expect(!FreePort.isListening(alliance.node(Self.member).internalPort))
            chmod(file.path, 0o600)
        }
    }
}
