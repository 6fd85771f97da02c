import AllianceTestSupport
import Foundation
import Testing

/// Two nodes as separate `serve` processes on loopback: they converge, a messy spelling is found at the
/// other member, and a revocation reaches the screening results and the outbox.
@Suite("EndToEnd: two-node exchange")
struct EndToEndExchangeTests {
    @Test("imports, sync both ways, both nodes hold the same active entries from both origins")
    func convergence() async throws {
        let run = try await E2ETwoNodeScenario.shared.value
        #expect(run.importAlpha.succeeded, "\(run.importAlpha)")
        #expect(run.importBeta.succeeded, "\(run.importBeta)")
        #expect(run.syncBeta.succeeded, "\(run.syncBeta)")
        #expect(run.syncBeta.stdout.contains("alpha\tok\t3 applied"), "\(run.syncBeta)")
        #expect(run.syncAlpha.succeeded, "\(run.syncAlpha)")
        #expect(run.syncAlpha.stdout.contains("beta\tok\t3 applied"), "\(run.syncAlpha)")

        let alpha = try NodeStatusSnapshot.decode(run.statusAlpha)
        let beta = try NodeStatusSnapshot.decode(run.statusBeta)
        #expect(alpha.member == "alpha" && beta.member == "beta")
        #expect(Set(alpha.counts) == Set(beta.counts), "alpha \(alpha.counts) vs beta \(beta.counts)")
        for status in [alpha, beta] {
            #expect(status.entries == 6, "\(status.member): \(status.entries) entries")
            #expect(status.entries(from: "alpha", status: "active") == 3, "\(status.member) counts \(status.counts)")
            #expect(status.entries(from: "beta", status: "active") == 3, "\(status.member) counts \(status.counts)")
        }
        #expect(beta.cursors["alpha"] == 3, "beta cursors \(beta.cursors)")
        #expect(alpha.cursors["beta"] == 3, "alpha cursors \(alpha.cursors)")
    }

    @Test("beta finds alpha's entry for a messy spelling, until alpha revokes it; one retraction per matched ref")
    func screeningAndRevocation() async throws {
        let run = try await E2ETwoNodeScenario.shared.value

        #expect(run.screenBefore.succeeded, "\(run.screenBefore)")
        let before = try E2EScreenMatch.decodeLines(run.screenBeforeLines)
        let acc1 = before.filter { $0.ref == "acc-1" }
        #expect(acc1.map(\.entry_id) == ["A1"] && acc1.first?.origin == "alpha", "screen before: \(before)")
        #expect(acc1.first?.severity == 2 && acc1.first?.measures.contains("M5") == true, "\(acc1)")
        #expect(before.contains { $0.ref == "acc-3" && $0.entry_id == "A2" && $0.origin == "alpha" }, "\(before)")
        #expect(!before.contains { $0.ref == "acc-2" }, "acc-2 matches nothing: \(before)")

        #expect(run.revoke.succeeded, "\(run.revoke)")
        #expect(run.syncBetaAfterRevoke.succeeded, "\(run.syncBetaAfterRevoke)")
        #expect(run.syncBetaAfterRevoke.stdout.contains("1 revoked"), "\(run.syncBetaAfterRevoke)")
        let betaAfter = try NodeStatusSnapshot.decode(run.statusBetaAfterRevoke)
        #expect(betaAfter.entries(from: "alpha", status: "active") == 2, "beta after revoke: \(betaAfter.counts)")

        #expect(run.screenAfter.succeeded, "\(run.screenAfter)")
        let after = try E2EScreenMatch.decodeLines(run.screenAfterLines)
        #expect(!after.contains { $0.origin == "alpha" && $0.entry_id == "A1" }, "revoked A1 still matches: \(after)")
        #expect(after.contains { $0.ref == "acc-3" && $0.entry_id == "A2" }, "A2 must still match: \(after)")
        let apiAfter = try #require(E2EHTTPReply(run.apiScreenAfter), "\(run.apiScreenAfter)")
        #expect(apiAfter.status == 200 && !apiAfter.body.contains(#""entry_id":"A1""#), "\(apiAfter.body)")

        let outbox = try #require(E2EHTTPReply(run.outbox), "\(run.outbox)")
        #expect(outbox.status == 200, "\(outbox.body)")
        let records = try E2EOutboxLine.decodeLines(outbox.body).map(\.record)
        let isA1 = { (record: E2EOutboxLine.Record) in record.origin == "alpha" && record.entry_id == "A1" }
        let matchedRefs = Set(records.filter { $0.type == "match" && isA1($0) }.compactMap(\.ref))
        let retractions = records.filter { $0.type == "retraction" }
        #expect(matchedRefs.contains("acc-1"), "outbox: \(records)")
        #expect(retractions.filter { $0.ref == "acc-1" }.count == 1, "retractions: \(retractions)")
        #expect(retractions.allSatisfy(isA1), "only A1 was revoked: \(retractions)")
        #expect(Set(retractions.compactMap(\.ref)) == matchedRefs, "one retraction per matched ref: \(retractions)")
        #expect(retractions.count == matchedRefs.count, "exactly one each: \(retractions)")

        let unauthorised = try #require(E2EHTTPReply(run.outboxWithoutToken), "\(run.outboxWithoutToken)")
        #expect(unauthorised.status == 401, "outbox without a bearer token: \(unauthorised.status)")
    }

    @Test("both serve processes stop cleanly on SIGTERM")
    func gracefulStop() async throws {
        let run = try await E2ETwoNodeScenario.shared.value
        #expect(run.stopAlpha.succeeded, "\(run.stopAlpha)")
        #expect(run.stopBeta.succeeded, "\(run.stopBeta)")
    }

    // The internal API is answered by the long-running `serve` process. Entries and revocations that other
    // processes (`sync`, `revoke`) write to the store while it runs must reach its answers too.

    @Test("the running serve's POST /v1/screen finds an entry that a separate sync applied")
    func internalAPISeesSyncedEntries() async throws {
        let run = try await E2ETwoNodeScenario.shared.value
        let reply = try #require(E2EHTTPReply(run.apiScreenBefore), "\(run.apiScreenBefore)")
        #expect(reply.status == 200, "\(reply.body)")
        #expect(reply.body.contains(#""entry_id":"A1""#), "internal API after sync: \(reply.body)")
    }

    @Test("the running serve's POST /v1/screen stops returning an entry revoked by a separate revoke")
    func internalAPIHonoursRevocations() async throws {
        let run = try await E2ETwoNodeScenario.shared.value
        #expect(run.revokeOwn.succeeded, "\(run.revokeOwn)")
        let reply = try #require(E2EHTTPReply(run.apiScreenOwnRevoked), "\(run.apiScreenOwnRevoked)")
        #expect(reply.status == 200, "\(reply.body)")
        #expect(!reply.body.contains(#""entry_id":"B1""#), "revoked B1 still matched: \(reply.body)")
    }
}
