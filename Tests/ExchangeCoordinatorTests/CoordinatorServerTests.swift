import AllianceTestSupport
import CoordinatorTestSupport
import ExchangeCrypto
import Foundation
import Testing

@testable import AlliancePKI
@testable import ExchangeCoordinator
@testable import ExchangeProtocol

/// The coordinator's mTLS listener, over real TLS on loopback: who may call what, and how daily
/// reports are accepted, replaced and refused (and the refusals audited and logged).
@Suite("Coordinator server")
struct CoordinatorServerTests {
    static let day = "2026-08-01"

    @Test("a member's report is stored, and re-sending the day replaces it")
    func reportStoredAndReplaced() async throws {
        let alliance = try TestAlliance.withCoordinator()
        try await alliance.startCoordinator()
        let first = try alliance.signedReport(member: "alpha", day: Self.day, counters: [
            "screened": 10, "matches": 3, "matches.origin.beta": 2, "matches.origin.alpha": 1,
            "matches.category.brushing": 3, "matches.measure.M5": 3,
        ])
        let reply = try await alliance.call("alpha", .POST, "/v1/reports", body: try first.jsonBytes())
        #expect(reply.status == 200)
        #expect(reply.body.contains("\"revision\":1"))
        #expect(try alliance.coordinator.store.counters(member: "alpha", day: Self.day) == first.counters)

        let second = try alliance.signedReport(member: "alpha", day: Self.day, counters: ["screened": 12, "matches": 4])
        let again = try await alliance.call("alpha", .POST, "/v1/reports", body: try second.jsonBytes())
        #expect(again.status == 200)
        #expect(again.body.contains("\"revision\":2"))
        // Replaced, not added: the first report's breakdowns are gone.
        #expect(try alliance.coordinator.store.counters(member: "alpha", day: Self.day) == ["screened": 12, "matches": 4])
        #expect(try alliance.coordinator.store.reports().count == 1)
        let statistics = try alliance.coordinator.statistics()
        #expect(statistics.total.matches == 4)
        #expect(statistics.members == ["alpha", "beta"])
        #expect(try alliance.coordinatorAuditText().contains("\"stats.report\""))
        await alliance.stopCoordinator()
        alliance.shutdown()
    }

    @Test("a CA-issued certificate of a non-member is refused with 403, audited and logged")
    func nonMemberRefused() async throws {
        let alliance = try TestAlliance.withCoordinator()
        try await alliance.startCoordinator()
        let report = try alliance.signedReport(member: "outsider", day: Self.day, counters: ["screened": 1])
        let reply = try await alliance.call("outsider", .POST, "/v1/reports", body: try report.jsonBytes())
        #expect(reply.status == 403)
        #expect(reply.body.contains("not a registered member"))
        #expect(try alliance.coordinator.store.reports().isEmpty)
        let membership = try await alliance.call("outsider", .GET, "/v1/membership")
        #expect(membership.status == 403)
        let audit = try alliance.coordinatorAuditText()
        let refusals = audit.split(separator: "\n").filter { $0.contains("\"outsider\"") && $0.contains("\"refused\"") }
        #expect(refusals.count == 2)
        #expect(refusals.allSatisfy { $0.contains("not-a-member") })
        #expect(try alliance.coordinatorLogText().contains("refused request"))
        #expect(try alliance.coordinatorLogText().contains("caller=outsider"))
        await alliance.stopCoordinator()
        alliance.shutdown()
    }

    @Test("a report whose signature fails, or that speaks for another member, is refused and audited")
    func badSignatureRefused() async throws {
        let alliance = try TestAlliance.withCoordinator()
        try await alliance.startCoordinator()
        let report = try alliance.signedReport(member: "alpha", day: Self.day, counters: ["screened": 10, "matches": 3])
        // Tamper with one count after signing.
        let tampered = DailyReport(member: "alpha", day: Self.day, counters: ["screened": 10, "matches": 30], signature: report.signature)
        let reply = try await alliance.call("alpha", .POST, "/v1/reports", body: try tampered.jsonBytes())
        #expect(reply.status == 403)
        #expect(reply.body.contains("signature"))
        // Signed by beta's key but sent over alpha's connection.
        let foreignKey = try alliance.signedReport(member: "alpha", day: Self.day, counters: ["screened": 10], signer: "beta")
        #expect(try await alliance.call("alpha", .POST, "/v1/reports", body: try foreignKey.jsonBytes()).status == 403)
        // Beta's genuine report relayed by alpha.
        let relayed = try alliance.signedReport(member: "beta", day: Self.day, counters: ["screened": 10])
        let mismatch = try await alliance.call("alpha", .POST, "/v1/reports", body: try relayed.jsonBytes())
        #expect(mismatch.status == 403)
        #expect(mismatch.body.contains("not the member named in the client certificate"))
        #expect(try alliance.coordinator.store.reports().isEmpty)
        let audit = try alliance.coordinatorAuditText()
        #expect(audit.split(separator: "\n").filter { $0.contains("bad-signature") && $0.contains("\"refused\"") }.count == 2)
        #expect(audit.contains("member-mismatch"))
        #expect(try alliance.coordinatorLogText().contains("refused report"))
        await alliance.stopCoordinator()
        alliance.shutdown()
    }

    @Test("counters outside the vocabulary are refused without echoing them")
    func vocabularyEnforced() async throws {
        let alliance = try TestAlliance.withCoordinator()
        try await alliance.startCoordinator()
        let smuggled: [(counters: [String: Int], reason: String)] = [
            (["screened": 1, "phone.+8613800138000": 1], "unknown-counter"),
            (["matches.category.13800138000": 1], "unknown-counter"),
            (["matches.severity.02": 1], "unknown-counter"),
            (["matches.origin.13800138000": 1], "unknown-origin"),
            (["screened": 13_800_138_000], "value-out-of-range"),
            (["screened": -1], "value-out-of-range"),
        ]
        for (counters, reason) in smuggled {
            let report = try alliance.signedReport(member: "alpha", day: Self.day, counters: counters)
            let reply = try await alliance.call("alpha", .POST, "/v1/reports", body: try report.jsonBytes())
            #expect(reply.status == 422, "\(reason)")
            #expect(!reply.body.contains("13800138000"))
        }
        let future = try alliance.signedReport(member: "alpha", day: "2999-01-01", counters: ["screened": 1])
        #expect(try await alliance.call("alpha", .POST, "/v1/reports", body: try future.jsonBytes()).status == 422)
        let extraField = Array(#"{"member":"alpha","day":"2026-08-01","counters":{},"signature":"AA==","identifier":"x"}"#.utf8)
        #expect(try await alliance.call("alpha", .POST, "/v1/reports", body: extraField).status == 400)
        #expect(try alliance.coordinator.store.reports().isEmpty)
        let everything = try alliance.coordinatorAuditText() + alliance.coordinatorLogText()
        #expect(!everything.contains("13800138000"))
        #expect(everything.contains("unknown-origin"))
        await alliance.stopCoordinator()
        alliance.shutdown()
    }

    @Test("membership, revocations and token keys go to members; the dashboard and statistics to operators only")
    func roles() async throws {
        let alliance = try TestAlliance.withCoordinator()
        try await alliance.startCoordinator()
        let report = try alliance.signedReport(member: "beta", day: Self.day, counters: ["screened": 5, "matches": 1,
                                                                                           "matches.origin.alpha": 1])
        #expect(try await alliance.call("beta", .POST, "/v1/reports", body: try report.jsonBytes()).status == 200)

        let membership = try await alliance.call("alpha", .GET, "/v1/membership")
        #expect(membership.status == 200)
        let document = try JSONSerialization.jsonObject(with: Data(membership.body.utf8)) as? [String: Any]
        let members = (document?["members"] as? [[String: Any]])?.compactMap { $0["member"] as? String }
        #expect(members == ["alpha", "beta"])  // operators are not published
        #expect(document?["current_token_key_epoch"] as? Int == 1)

        let revocations = try await alliance.call("beta", .GET, "/v1/revocations")
        #expect(revocations.status == 200)
        let file = alliance.root.appendingPathComponent("fetched-revoked.json")
        try Data(revocations.body.utf8).write(to: file)
        #expect(throws: Never.self) { try RevocationList.load(path: file.path, caCertificate: alliance.coordinator.credentials.caCertificate) }

        let key = try await alliance.call("alpha", .GET, "/v1/token-key?epoch=1")
        #expect(key.status == 200)
        let fetched = try JSONDecoder().decode(AllianceTokenKey.self, from: Data(key.body.utf8))
        #expect(fetched == (try TokenKeyFile.read(URL(fileURLWithPath: alliance.ca.tokenKeyPath))))
        #expect(try await alliance.call("alpha", .GET, "/v1/token-key?epoch=9").status == 404)
        #expect(try await alliance.call("ops", .GET, "/v1/token-key").status == 403)
        let rotated = try TokenKeyRing.rotate(in: alliance.coordinatorHome)
        let current = try await alliance.call("beta", .GET, "/v1/token-key")
        #expect(try JSONDecoder().decode(AllianceTokenKey.self, from: Data(current.body.utf8)) == rotated)

        #expect(try await alliance.call("alpha", .GET, "/dashboard").status == 403)
        #expect(try await alliance.call("alpha", .GET, "/v1/statistics").status == 403)
        #expect(try await alliance.call("ops", .POST, "/v1/reports", body: try report.jsonBytes()).status == 403)
        let dashboard = try await alliance.call("ops", .GET, "/dashboard?month=2026-08")
        #expect(dashboard.status == 200)
        #expect(dashboard.body.hasPrefix("<!DOCTYPE html>"))
        #expect(dashboard.body.contains("<svg"))
        #expect(try await alliance.call("ops", .GET, "/dashboard?month=2026-13").status == 400)
        let statistics = try await alliance.call("ops", .GET, "/v1/statistics?month=2026-08")
        #expect(statistics.status == 200)
        let figures = try JSONSerialization.jsonObject(with: Data(statistics.body.utf8)) as? [String: Any]
        #expect((figures?["total"] as? [String: Int])?["matches"] == 1)
        #expect((figures?["totals_check"] as? [String])?.isEmpty == true)
        let audit = try alliance.coordinatorAuditText()
        #expect(audit.contains("\"dashboard.read\""))
        #expect(audit.contains("\"token-key.fetch\""))
        await alliance.stopCoordinator()
        alliance.shutdown()
    }

    @Test("a certificate registered under another role is refused")
    func roleMismatch() async throws {
        let alliance = try TestAlliance.withCoordinator()
        var registry = try alliance.coordinator.registry()
        registry.upsert(try MembershipRegistry.validated(member: "outsider", role: .operator, url: nil, lists: []))
        try registry.save(to: alliance.coordinatorHome)
        try await alliance.startCoordinator()
        let reply = try await alliance.call("outsider", .GET, "/dashboard")
        #expect(reply.status == 403)
        #expect(try alliance.coordinatorAuditText().contains("role-mismatch"))
        await alliance.stopCoordinator()
        alliance.shutdown()
    }
}
