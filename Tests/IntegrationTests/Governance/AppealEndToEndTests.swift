import AllianceTestSupport
import ExchangeProtocol
import Foundation
import GRDB
import NodeTestSupport
import Testing

@testable import ExchangeNode
@testable import ExchangeRuntime

/// Issue 8's acceptance scenario, on three real nodes over loopback mTLS: an appeal filed at
/// alpha-mall against beta-rides' entry, upheld at beta-rides, revokes the entry at every node
/// after one sync round, leaves a retraction in the filer's outbox for every account that had
/// matched, and is counted in the origin's daily counters; a rejected appeal tells the filer why.
@Suite("Appeals end to end", .serialized)
struct AppealEndToEndTests {
    static let members = ["alpha-mall", "beta-rides", "gamma-pay"]

    static func entryState(_ context: NodeContext, origin: String, entry: String) throws -> (status: Int64, reason: Int64?)? {
        try context.store.read { db in
            try GRDB.Row.fetchOne(db, sql: "SELECT status, revocation_reason FROM entries WHERE origin = ? AND entry_id = ?",
                                  arguments: [origin, entry]).map { ($0["status"], $0["revocation_reason"]) }
        }
    }

    @Test("upheld at the origin: revoked everywhere after one sync, retractions at the filer, counted")
    func upheldAppeal() async throws {
        let alliance = try TestAlliance("governance", nodes: Self.members)
        defer { alliance.shutdown() }
        try alliance.importEntries("beta-rides", [
            "BR-100,black,subsidy-fraud,2,phone,+86 139-1234-5678",
            "BR-100,black,subsidy-fraud,2,bank-card,6222 0202 0011 2233 446",
            "BR-101,black,brushing,1,phone,13800138000",
        ])
        let a = alliance.context("alpha-mall"), b = alliance.context("beta-rides"), c = alliance.context("gamma-pay")
        let filerHome = alliance.home("alpha-mall").path, originHome = alliance.home("beta-rides").path

        try await alliance.withServers(Self.members) { runtimes in
            try await alliance.syncAll(runtimes, Self.members)
            let alphaMatches = try await alliance.screen("alpha-mall", [
                "a-1,phone,13912345678", "a-2,bank-card,6222020200112233446", "a-3,phone,13800138000", "a-4,email,nobody@example.org",
            ])
            #expect(alphaMatches == 3)
            #expect(try await alliance.screen("gamma-pay", ["g-1,phone,139 1234 5678"]) == 1)

            // alpha-mall files, through the CLI, over mTLS to beta-rides.
            try await alliance.must(["appeal", "file", "--home", filerHome, "--entry", "beta-rides:BR-100", "--reason",
                                "The holder's subsidy claims were refunded in full on 2026-03-02 (orders 2026-0042, 2026-0043)."])
            let filed = try a.store.read { db in try AppealTable.list(direction: .outgoing, db) }
            #expect(filed.count == 1)
            let appeal = try #require(filed.first)
            #expect(appeal.status == .open && appeal.origin == "beta-rides" && appeal.entryID == "BR-100")
            let expectedDeadline = WorkingDays.deadline(from: NodeClock.today(), workingDays: b.config.appealDeadlineWorkingDays)
            #expect(appeal.deadline == expectedDeadline)

            let incoming = try b.store.read { db in try AppealTable.list(direction: .incoming, db) }
            #expect(incoming.map(\.id) == [appeal.id])
            #expect(incoming.first?.filer == "alpha-mall" && incoming.first?.deadline == expectedDeadline)
            #expect(try todaysCounters(b)["appeals.filed"] == 1)
            #expect(try todaysCounters(a)["appeals.filed"] == nil, "only the origin counts, so the coordinator's sum is exact")

            // Filing the same appeal id again is idempotent.
            try await alliance.must(["appeal", "file", "--home", filerHome, "--entry", "beta-rides:BR-100", "--appeal-id", appeal.id,
                                "--reason", appeal.reason])
            #expect(try b.store.read { db in try AppealTable.list(direction: .incoming, db) }.count == 1)
            #expect(try todaysCounters(b)["appeals.filed"] == 1)

            // beta-rides upholds it.
            try await alliance.must(["appeal", "list", "--home", originHome])
            try await alliance.must(["appeal", "resolve", "--home", originHome, "--appeal", appeal.id, "--uphold",
                                "--reason", "Refund records verified by the risk team."])
            let upheld = try #require(try b.store.read { db in try AppealTable.find(appeal.id, direction: .incoming, db) })
            #expect(upheld.status == .upheld && upheld.decision == "Refund records verified by the risk team.")
            #expect(try todaysCounters(b)["appeals.upheld"] == 1)

            // One sync round: revoked at every node, with the reason appeal-upheld.
            try await alliance.syncAll(runtimes, Self.members)
            for context in [a, b, c] {
                let state = try #require(try Self.entryState(context, origin: "beta-rides", entry: "BR-100"))
                #expect(state.status == Int64(EntryStatus.revoked.code), "\(context.member)")
                #expect(state.reason == Int64(RevocationReason.appealUpheld.code), "\(context.member)")
                let other = try #require(try Self.entryState(context, origin: "beta-rides", entry: "BR-101"))
                #expect(other.status == Int64(EntryStatus.active.code), "\(context.member): the other entry stays")
            }

            // A retraction in alpha-mall's outbox for every account that matched BR-100, none for BR-101's.
            let retractions = try outboxRecords(a, type: "retraction")
            #expect(Set(retractions.compactMap { $0["ref"] as? String }) == ["a-1", "a-2"])
            #expect(retractions.allSatisfy { $0["reason"] as? String == "appeal-upheld" && $0["entry_id"] as? String == "BR-100" })
            #expect(try outboxRecords(c, type: "retraction").compactMap { $0["ref"] as? String } == ["g-1"])

            // The filer learns the outcome when it lists (it asks the origin).
            try await alliance.must(["appeal", "list", "--home", filerHome])
            let learned = try #require(try a.store.read { db in try AppealTable.find(appeal.id, direction: .outgoing, db) })
            #expect(learned.status == .upheld && learned.decision == "Refund records verified by the risk team.")
            let told = try outboxRecords(a, type: "appeal-decided")
            #expect(told.count == 1 && told.first?["status"] as? String == "upheld")

            // The counters the coordinator collects hold the appeal and its outcome.
            let counters = try todaysCounters(b)
            #expect(counters["appeals.filed"] == 1 && counters["appeals.upheld"] == 1 && counters["appeals.rejected"] == nil)
            #expect(counters["revocations.reason.appeal-upheld"] == 1)
        }
        // The audit logs name the appeal and entry, never the text.
        for member in ["alpha-mall", "beta-rides"] {
            let log = try auditText(of: alliance.home(member))
            #expect(log.contains("appeal.file"))
            #expect(!log.contains("refunded in full"))
        }
        #expect(try auditText(of: alliance.home("beta-rides")).contains("appeal.decide"))
    }

    @Test("rejected at the origin: the entry stays, the filer is told why, counted")
    func rejectedAppeal() async throws {
        let alliance = try TestAlliance("governance", nodes: ["alpha-mall", "beta-rides"])
        defer { alliance.shutdown() }
        try alliance.importEntries("beta-rides", ["BR-200,black,brushing,2,phone,13912340000"])
        let a = alliance.context("alpha-mall"), b = alliance.context("beta-rides")
        try await alliance.withServers(["alpha-mall", "beta-rides"]) { runtimes in
            try await alliance.syncAll(runtimes, ["alpha-mall"])
            #expect(try await alliance.screen("alpha-mall", ["a-9,phone,13912340000"]) == 1)
            let client = runtimes["alpha-mall"]!.makePeerClient()
            let filed = try await AppealFiler(context: a, client: client)
                .file(entry: "beta-rides", "BR-200", reason: "The account was sold to its current holder in 2025.")
            #expect(throws: AppealError.malformed("rejecting an appeal needs --reason (the filer is told)")) {
                try AppealDecision(context: b).resolve(appealID: filed.id, verdict: .reject, reason: nil)
            }
            let outcome = try AppealDecision(context: b).resolve(appealID: filed.id, verdict: .reject,
                                                                 reason: "Order logs show the same holder throughout.")
            #expect(outcome.appeal.status == .rejected && outcome.revocation == nil)
            #expect(throws: AppealError.conflict("appeal \(filed.id) is already rejected")) {
                try AppealDecision(context: b).resolve(appealID: filed.id, verdict: .uphold, reason: nil)
            }
            let refreshed = try await AppealFiler(context: a, client: client).refresh()
            await client.shutdown()
            #expect(refreshed.count == 1 && refreshed.first?.changed == true && refreshed.first?.error == nil)
            let learned = try #require(try a.store.read { db in try AppealTable.find(filed.id, direction: .outgoing, db) })
            #expect(learned.status == .rejected && learned.decision == "Order logs show the same holder throughout.")
            #expect(try Self.entryState(b, origin: "beta-rides", entry: "BR-200")?.status == Int64(EntryStatus.active.code))
            #expect(try todaysCounters(b)["appeals.rejected"] == 1)
            #expect(try todaysCounters(b)["appeals.upheld"] == nil)

            // Text that carries an identifier is refused by the filer's node before it leaves...
            let filerClient = runtimes["alpha-mall"]!.makePeerClient()
            await #expect {
                _ = try await AppealFiler(context: a, client: filerClient)
                    .file(entry: "beta-rides", "BR-200", reason: "the holder is reachable at 139 1234 0000")
            } throws: { error in
                guard case .text? = error as? AppealError else { return false }
                return true
            }
            await filerClient.shutdown()
            // ...and by the origin when a filer sends it anyway; the answer names the kind, not the value.
            let raw = try alliance.client(as: "alpha-mall")
            let body = #"{"appeal_id":"\#(AppealID.make())","entry_id":"BR-200","reason":"ID 11010519491231002X is the real owner","filed_at":"2026-11-23T10:00:00.000Z"}"#
            let answer = await HTTPAnswer.fetch(raw, .POST, alliance.url("beta-rides") + "/v1/appeals", body: body)
            try await raw.shutdown()
            #expect(answer.status == 422)
            #expect(answer.body.contains("resident-id") && !answer.body.contains("11010519491231002"))
            #expect(try b.store.read { db in try AppealTable.list(direction: .incoming, db) }.count == 1)
            #expect(try todaysCounters(b)["appeals.filed"] == 1)
        }
        try b.audit.flush()
        let audit = try auditText(of: alliance.home("beta-rides"))
        #expect(audit.contains("identifier-in-text") && !audit.contains("11010519491231002"))
    }
}
