import Crypto
import Foundation
import Testing

@testable import ExchangeAudit
@testable import ExchangeRuntime

@Suite("Audit log: queries")
struct AuditQueryTests {
    typealias Support = AuditTestSupport

    @Test("show's filters select by action prefix, actor, outcome, time and limit")
    func filters() throws {
        let directory = Support.temporaryDirectory("query")
        let log = try AuditLog(directory: directory, signingKey: P256.Signing.PrivateKey())
        for n in 1...30 { log.append(Support.event(n, actor: n % 3 == 0 ? "member-c" : "member-a")) }
        try log.close()
        func select(_ filter: AuditFilter) throws -> [UInt64] {
            try AuditLog.records(directory: directory, filter: filter).records.map(\.seq)
        }
        let all = Support.lines(directory).map(Support.record)
        #expect(try select(AuditFilter()) == all.map(\.seq))
        #expect(try select(AuditFilter(action: "sync")) == all.filter { $0.action.hasPrefix("sync.") }.map(\.seq))
        #expect(try select(AuditFilter(action: "sync.pull")) == all.filter { $0.action == "sync.pull" }.map(\.seq))
        #expect(try select(AuditFilter(action: "syn")).isEmpty)
        #expect(try select(AuditFilter(actor: "member-c")) == all.filter { $0.actor == "member-c" }.map(\.seq))
        #expect(try select(AuditFilter(outcome: .refused)) == [7, 14, 21, 28])
        #expect(try select(AuditFilter(actor: "member-a", limit: 3)) == all.filter { $0.actor == "member-a" }.suffix(3).map(\.seq))
        #expect(try select(AuditFilter(sinceMillis: NodeClock.nowMillis() + 60_000)).isEmpty)
        #expect(try select(AuditFilter(sinceMillis: AuditFilter.parseTime("2020-01-01"))).count == all.count)
        let limited = try AuditLog.records(directory: directory, filter: AuditFilter(limit: 5))
        #expect(limited.omitted == all.count - 5)
        #expect(limited.unreadableLines == 0)
    }

    @Test("show's text line lists the detail but not signatures")
    func textLine() throws {
        let record = AuditRecord(seq: 9, time: "2026-11-23T19:49:00.123Z", actor: "local", role: .internal,
                                 action: "checkpoint", outcome: .ok, detail: ["signature": "abc", "records": "5"],
                                 prev: AuditRecord.zeroHash)
        #expect(record.textLine == "9  2026-11-23T19:49:00.123Z  ok  internal/local  checkpoint  records=5")
    }
}
