import AllianceTestSupport
import ExchangeRuntime
import Foundation
import GRDB
import Testing
import X509

/// Issue 14: certificate expiry in `status`, `certs show` and /metrics; `certs renew` keeps the member's
/// key so peers accept the renewed certificate with no change on their side (old signed batches still
/// verify); an expired certificate is refused over real TLS, as a client and as a server.
@Suite("Operations: certificate expiry and renewal", .serialized)
struct CertificateRenewalTests {
    static let header = "entry_id,list,category,severity,kind,identifier,listed_on,expires_on"

    static func entries(_ prefix: String, _ range: Range<Int>, base: Int) -> String {
        ([header] + range.map { "\(prefix)\($0),black,brushing,2,phone,\(base + $0),2026-01-01,2099-01-01" }).joined(separator: "\n") + "\n"
    }

    @Test("a renewed certificate keeps the key: peers accept it with no change, and a new peer verifies the old batches with it")
    func renewedCertificateIsAcceptedByPeers() async throws {
        let alliance = try TestAlliance("cert-renew")
        defer { alliance.shutdown() }
        let (nodes, _) = try await alliance.createMembers(2)
        let (alpha, beta) = (nodes[0], nodes[1])
        try await alliance.must(["import", "--home", beta.home.path, alliance.write(Self.entries("B", 0..<20, base: 13_700_000_000), to: "b1.csv").path])
        var betaServer = try await alliance.serve(beta)
        try await alliance.must(["sync", "--home", alpha.home.path])
        let before = try Self.storedCertificate(of: beta.member, at: alpha)

        // Renew at the CA, install at beta (a third member joins meanwhile), restart beta. Nothing changes at alpha.
        let renewed = try await alliance.must(["certs", "renew", "--dir", alliance.path("CA").path, "--member", beta.member])
        #expect(renewed.stdout.contains("same key"), "\(renewed)")
        let certificatePath = alliance.path("CA/members/\(beta.member)/cert.pem").path
        let wrongKey = try await alliance.run(["certs", "install", "--home", beta.home.path,
                                               "--cert", alliance.path("CA/members/\(alpha.member)/cert.pem").path])
        #expect(!wrongKey.succeeded && wrongKey.stderr.contains("not for this node's key"), "\(wrongKey)")
        try await alliance.must(["certs", "install", "--home", beta.home.path, "--cert", certificatePath])
        let gamma = try await alliance.createNode("member-3")
        try await alliance.addPeer(beta, to: gamma)
        try await alliance.addPeer(gamma, to: beta)
        _ = await alliance.stop(betaServer)
        betaServer = try await alliance.serve(beta)
        try await alliance.must(["import", "--home", beta.home.path, alliance.write(Self.entries("B", 20..<25, base: 13_700_000_000), to: "b2.csv").path])

        let pulled = try await alliance.must(["sync", "--home", alpha.home.path])
        #expect(pulled.stdout.contains("\(beta.member)\tok\t5 applied"), "\(pulled)")
        let after = try Self.storedCertificate(of: beta.member, at: alpha)
        let installed = try Certificate(pemEncoded: String(contentsOfFile: certificatePath, encoding: .utf8))
        #expect(after == installed && after != before, "alpha stores the renewed certificate from beta's feed")
        #expect(after.publicKey == before.publicKey)
        // gamma pulls beta's whole feed: batches signed before the renewal verify with the renewed certificate's key.
        let fresh = try await alliance.must(["sync", "--home", gamma.home.path])
        #expect(fresh.stdout.contains("\(beta.member)\tok\t25 applied"), "\(fresh)")
        // The audit log of beta records the renewal.
        #expect(try String(contentsOf: beta.home.appending(path: "audit/audit.log"), encoding: .utf8).contains("\"cert.renew\""))
    }

    @Test("an expired certificate is refused over TLS as a client and as a server; renewing it makes it work again")
    func expiredCertificateIsRefused() async throws {
        let alliance = try TestAlliance("cert-expired")
        defer { alliance.shutdown() }
        try await alliance.createCA()
        let alpha = try await alliance.createNode("alpha")
        let ca = alliance.path("CA").path
        try await alliance.must(["certs", "issue", "--dir", ca, "--member", "delta", "--ip", "127.0.0.1",
                                 "--not-before", "2024-01-01T00:00:00Z", "--not-after", "2025-01-01T00:00:00Z"])
        let shown = try await alliance.must(["certs", "show", "--dir", ca])
        #expect(shown.stdout.contains("EXPIRED") && shown.stdout.contains("expired "), "\(shown)")
        let deltaPort = try FreePort.find()
        try await alliance.addPeer("delta", url: "https://127.0.0.1:\(deltaPort)", to: alpha)
        try await alliance.serve(alpha)

        // As a client: delta's expired certificate does not get through the handshake.
        let asClient = try await alliance.curl(alliance.identity("delta") + [alpha.peerURL + "/v1/health"])
        #expect(!asClient.succeeded && [35, 56].contains(asClient.exitCode), "\(asClient)")
        // As a server: alpha refuses to sync from a peer presenting it.
        let fake = try await FakePeer(caDirectory: alliance.path("CA"), member: "delta", port: deltaPort) { _ in
            .http(status: 200, contentType: "application/json", body: Array("{}".utf8))
        }
        defer { Task { await fake.stop() } }
        let sync = try await alliance.run(["sync", "--home", alpha.home.path])
        #expect(!sync.succeeded && sync.stdout.contains("delta\tFAILED") && fake.requests.isEmpty, "\(sync)")

        // Renewed, the same key works again as a client.
        try await alliance.must(["certs", "renew", "--dir", ca, "--member", "delta"])
        let renewed = try await alliance.curl(alliance.identity("delta") + ["--write-out", "\n%{http_code}", alpha.peerURL + "/v1/health"])
        #expect(renewed.succeeded && renewed.stdout.hasSuffix("\n200"), "\(renewed)")
    }

    @Test("status, certs show --home and /metrics give the days left of the node's, the CA's and each peer's certificate")
    func daysLeftEverywhere() async throws {
        let alliance = try TestAlliance("cert-days")
        defer { alliance.shutdown() }
        try await alliance.createCA()
        let ca = alliance.path("CA").path
        // beta's certificate ends in 20 days: inside the 30-day warning.
        let alpha = try await alliance.createNode("alpha")
        try await alliance.must(["certs", "issue", "--dir", ca, "--member", "beta", "--ip", "127.0.0.1",
                                 "--not-after", ISO8601Format.in(days: 20)])
        let beta = TestNode(member: "beta", home: alliance.path("home-beta"), peerPort: try FreePort.find(), internalPort: try FreePort.find())
        try await alliance.must(["init", "--home", beta.home.path, "--member", "beta", "--certs", ca,
                                 "--listen", "127.0.0.1:\(beta.peerPort)", "--internal-listen", "127.0.0.1:\(beta.internalPort)"])
        try await alliance.addPeer(beta, to: alpha)
        try await alliance.addPeer(alpha, to: beta)
        try await alliance.must(["import", "--home", beta.home.path, alliance.write(Self.entries("B", 0..<3, base: 13_700_000_000), to: "b.csv").path])
        try await alliance.serve(beta)
        try await alliance.must(["sync", "--home", alpha.home.path])

        let status = try await alliance.must(["status", "--home", alpha.home.path, "--json"])
        let object = try #require(try JSONSerialization.jsonObject(with: Data(status.stdout.utf8)) as? [String: Any])
        let certificates = try #require(object["certificates"] as? [[String: Any]])
        let days = Dictionary(uniqueKeysWithValues: certificates.map { ("\($0["certificate"]!) \($0["member"]!)", $0["daysLeft"] as? Int ?? -999) })
        #expect(days["node alpha"].map { (729...731).contains($0) } == true, "\(days)")
        #expect(days["ca ca"].map { $0 > 3_600 } == true, "\(days)")
        #expect(days["peer beta"].map { (19...20).contains($0) } == true, "\(days)")
        let shown = try await alliance.must(["certs", "show", "--home", alpha.home.path])
        #expect(shown.stdout.contains("peer beta") && shown.stdout.contains("days left"), "\(shown)")

        let server = try await alliance.serve(alpha, sync: true)
        let metrics = try await alliance.curl([alpha.internalURL + "/metrics"])
        #expect(metrics.stdout.contains("exchange_node_certificate_expiry_days{certificate=\"peer\",member=\"beta\"} 19."), "\(metrics.stdout)")
        #expect(metrics.stdout.contains("exchange_node_certificate_expiry_days{certificate=\"node\",member=\"alpha\"}"))
        // serve warns about beta's certificate at start (and then daily), naming it and its days left.
        let stopped = await alliance.stop(server)
        #expect(stopped.stderr.contains("certificate expires soon") && stopped.stderr.contains("certificate_member=beta"), "\(stopped.stderr)")
    }
}

/// A timestamp `days` from now, as the hidden `--not-after` takes it.
enum ISO8601Format {
    static func `in`(days: Int) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime]
        return formatter.string(from: Date().addingTimeInterval(Double(days) * 86_400 - 3_600))
    }
}

extension CertificateRenewalTests {
    /// The certificate `node` stores for `origin` (the last one seen on its feed).
    static func storedCertificate(of origin: String, at node: TestNode) throws -> Certificate {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: node.storePath, configuration: configuration)
        defer { try? queue.close() }
        let der = try queue.read { db in try Data.fetchOne(db, sql: "SELECT der FROM origin_certificates WHERE origin = ?", arguments: [origin]) }
        return try Certificate(derEncoded: [UInt8](try #require(der)))
    }
}
