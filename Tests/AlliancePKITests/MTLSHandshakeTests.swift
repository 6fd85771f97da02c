import AllianceTestSupport
import Foundation
import NIOSSL
import Testing

@testable import AlliancePKI
@testable import ExchangeProtocol

@Suite("Alliance PKI: mTLS handshakes on loopback")
struct MTLSHandshakeTests {
    /// A CA folder with members alice (node), bob (node), carol (revoked) and the coordinator,
    /// and a second, unrelated CA that also issued an "alice".
    struct Alliance {
        let temp: TemporaryDirectory
        let dir: AllianceDirectory
        let other: AllianceDirectory

        init() throws {
            temp = try TemporaryDirectory()
            dir = AllianceDirectory(temp.path + "/alliance")
            other = AllianceDirectory(temp.path + "/other")
            _ = try dir.initialise(allianceName: "Test")
            for (id, role) in [("server", MemberRole.node), ("alice", .node), ("bob", .node), ("carol", .node), ("coord", .coordinator)] {
                _ = try dir.issue(MemberCertificateRequest(memberID: try MemberID(id), role: role, ipAddresses: ["127.0.0.1"]))
            }
            _ = try dir.revoke(member: try MemberID("carol"))
            // Same alliance name and member id, different CA: must not pass for alice.
            _ = try other.initialise(allianceName: "Test")
            _ = try other.issue(MemberCertificateRequest(memberID: try MemberID("alice")))
        }

        func credentials(_ id: String, in directory: AllianceDirectory? = nil) throws -> MemberCredentials {
            try MemberCredentials.load(memberDirectory: (directory ?? dir).memberDirectory(try MemberID(id)))
        }
    }

    private func startServer(_ alliance: Alliance) async throws -> (LoopbackEchoServer, LiveRevocationList) {
        let revocations = LiveRevocationList(try alliance.dir.loadRevocationList())
        let tls = try AllianceTLSServer(credentials: try alliance.credentials("server"), revocations: revocations)
        return (try await LoopbackEchoServer(tls: tls), revocations)
    }

    /// Expects the server to refuse `tls` with a TLS alert, under TLS 1.2 and TLS 1.3 alike.
    private func expectRefusal(port: Int, tls: TLSConfiguration, alert: String, sourceLocation: SourceLocation = #_sourceLocation) async {
        for version in [TLSVersion.tlsv12, .tlsv13] {
            var pinned = tls
            pinned.minimumTLSVersion = version
            pinned.maximumTLSVersion = version
            do {
                let reply = try await loopbackExchange(port: port, tls: pinned)
                Issue.record("\(version): the server answered \(reply)", sourceLocation: sourceLocation)
            } catch {
                #expect("\(error)".contains(alert), "\(version): \(error)", sourceLocation: sourceLocation)
            }
        }
    }

    @Test func membersHandshakeAndTheServerSeesTheirMemberID() async throws {
        let alliance = try Alliance()
        defer { alliance.temp.cleanUp() }
        let (server, _) = try await startServer(alliance)
        let alice = try alliance.credentials("alice")
        #expect(try await loopbackExchange(port: server.port, tls: alice.clientTLSConfiguration()) == "alice:ping")
        let coordinator = try alliance.credentials("coord")
        #expect(try await loopbackExchange(port: server.port, tls: coordinator.clientTLSConfiguration()) == "coord:ping")
        await server.close()
    }

    @Test func aClientWithoutACertificateIsRefused() async throws {
        let alliance = try Alliance()
        defer { alliance.temp.cleanUp() }
        let (server, _) = try await startServer(alliance)
        var anonymous = TLSConfiguration.makeClientConfiguration()
        anonymous.trustRoots = .certificates([try alliance.credentials("alice").ca])
        anonymous.certificateVerification = .noHostnameVerification
        // TLS 1.3 says "certificate required"; TLS 1.2 has no such alert and says "handshake failure".
        var pinned = anonymous
        pinned.maximumTLSVersion = .tlsv13
        pinned.minimumTLSVersion = .tlsv13
        await expectRefusal(port: server.port, tls: anonymous, alert: "ALERT")
        do {
            let reply = try await loopbackExchange(port: server.port, tls: pinned)
            Issue.record("the server answered \(reply)")
        } catch {
            #expect("\(error)".contains("CERTIFICATE_REQUIRED"), "\(error)")
        }
        await server.close()
    }

    @Test func aCertificateFromAnotherCAIsRefused() async throws {
        let alliance = try Alliance()
        defer { alliance.temp.cleanUp() }
        let (server, _) = try await startServer(alliance)
        let impostor = try alliance.credentials("alice", in: alliance.other)
        let genuineCA = try alliance.credentials("alice").ca
        let tls = MTLSConfiguration.client(certificate: impostor.certificate, key: impostor.privateKey, ca: genuineCA)
        await expectRefusal(port: server.port, tls: tls, alert: "ALERT_CERTIFICATE_UNKNOWN")
        // The verifier says why, directly.
        let verifier = try AllianceTLSServer(credentials: try alliance.credentials("server"), revocations: LiveRevocationList())
        guard case .failed = await verifier.verifyClientChain([impostor.certificate]) else {
            Issue.record("a foreign certificate was accepted")
            return
        }
        await server.close()
    }

    @Test func aRevokedCertificateIsRefused() async throws {
        let alliance = try Alliance()
        defer { alliance.temp.cleanUp() }
        let (server, _) = try await startServer(alliance)
        let carol = try alliance.credentials("carol")
        await expectRefusal(port: server.port, tls: carol.clientTLSConfiguration(), alert: "ALERT_CERTIFICATE_UNKNOWN")
        // Refused for being revoked, not for anything else about the certificate:
        let verifier = try AllianceTLSServer(credentials: try alliance.credentials("server"), revocations: LiveRevocationList())
        guard case .certificateVerified = await verifier.verifyClientChain([carol.certificate]) else {
            Issue.record("carol's certificate is refused even without a revocation list")
            return
        }
        await server.close()
    }

    @Test func revokingWhileRunningRefusesTheNextConnection() async throws {
        let alliance = try Alliance()
        defer { alliance.temp.cleanUp() }
        let (server, revocations) = try await startServer(alliance)
        let bob = try alliance.credentials("bob")
        #expect(try await loopbackExchange(port: server.port, tls: bob.clientTLSConfiguration()) == "bob:ping")

        _ = try alliance.dir.revoke(member: try MemberID("bob"), now: Date() + 1)
        #expect(try revocations.reload(path: alliance.dir.revocationListPath, caCertificate: bob.caCertificate))
        await expectRefusal(port: server.port, tls: bob.clientTLSConfiguration(), alert: "ALERT_CERTIFICATE_UNKNOWN")
        await server.close()
    }

    /// BoringSSL skips certificate verification on a resumed session; the connection guard must
    /// still refuse a member revoked since. Driven by `openssl s_client -sess_out/-sess_in`.
    @Test func aResumedSessionOfARevokedMemberGetsNoData() async throws {
        let alliance = try Alliance()
        defer { alliance.temp.cleanUp() }
        let ca = try alliance.dir.loadCA()
        for (member, version) in [("alice", "-tls1_2"), ("bob", "-tls1_3")] {
            let id = try MemberID(member)
            let revocations = LiveRevocationList(try RevocationList.signed(serials: [], by: ca, now: Date() - 60))
            let tls = try AllianceTLSServer(credentials: try alliance.credentials("server"), revocations: revocations)
            let server = try await LoopbackEchoServer(tls: tls)
            let folder = alliance.dir.memberDirectory(id)
            let session = alliance.temp.path + "/\(member).session"
            func sClient(_ sessionOption: String) async throws -> String {
                let command = "(echo ping; sleep 3) | \(TestPaths.openssl.path) s_client \(version) -connect 127.0.0.1:\(server.port)"
                    + " -cert \(folder)/cert.pem -key \(folder)/key.pem -CAfile \(folder)/ca.pem \(sessionOption) \(session) 2>&1"
                return try await ChildProcess.run(URL(fileURLWithPath: "/bin/sh"), ["-c", command]).output
            }
            // Under a loaded machine the echo can miss s_client's window: try the fresh session a few times.
            var first = try await sClient("-sess_out")
            for _ in 0..<3 where !first.contains("\(member):ping") { first = try await sClient("-sess_out") }
            #expect(first.contains("New, TLSv1"), "\(version): \(first)")
            #expect(first.contains("\(member):ping"), "\(version): \(first)")

            let serial = try alliance.credentials(member).identity.serialHex
            #expect(revocations.replace(with: try RevocationList.signed(serials: [serial], by: ca)))
            let resumed = try await sClient("-sess_in")
            #expect(resumed.contains("Reused, TLSv1"), "\(version): not resumed, so this proves nothing: \(resumed)")
            #expect(!resumed.contains("\(member):ping"), "\(version): a revoked member got data on a resumed session")
            await server.close()
        }
    }

    @Test func theClientRefusesAServerFromAnotherCA() async throws {
        let alliance = try Alliance()
        defer { alliance.temp.cleanUp() }
        let impostorServer = try AllianceTLSServer(
            credentials: try alliance.credentials("alice", in: alliance.other),
            revocations: LiveRevocationList()
        )
        let server = try await LoopbackEchoServer(tls: impostorServer)
        let alice = try alliance.credentials("alice")
        // The server's certificate is from another CA: our client refuses it during the handshake.
        await #expect {
            try await loopbackExchange(port: server.port, tls: alice.clientTLSConfiguration())
        } throws: { error in
            guard case .handshakeFailed = error as? NIOSSLError else { return false }
            return true
        }
        await server.close()
    }
}
