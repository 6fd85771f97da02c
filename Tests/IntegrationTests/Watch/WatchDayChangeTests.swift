import AllianceTestSupport
import Foundation
import Testing

/// Amendments and dates, on real processes: an amended entry that no longer names a watched account
/// retracts it (and a later version naming it again matches again); at the day change, with no
/// screen, entries whose listing day has come match and those that expired retract.
/// `EXCHANGE_NODE_DAY_OFFSET=1` runs a process "tomorrow".
@Suite("Watch: amendments and day changes", .serialized)
struct WatchDayChangeTests {
    @Test("an amendment retracts or matches; at the day change listings start and expiries retract, without a screen")
    func amendmentsAndDays() async throws {
        let scene = try await WatchScene.make("watch-days", members: ["alpha", "beta"], scheme: "keyed-hash")
        defer { scene.alliance.shutdown() }
        let (tomorrow, past) = (WatchScene.day(1), "2026-01-01")
        try await scene.importEntries("alpha", [
            "E1,black,brushing,2,phone,13700000201,\(tomorrow),2099-01-01",
            "E2,black,brushing,2,phone,13700000202,\(past),\(tomorrow)",
            "E3,black,counterfeiting,3,phone,13700000203,\(past),",
        ], name: "entries")
        try await scene.serve(["alpha", "beta"])
        let file = try scene.accounts(["acc-1,phone,13700000201", "acc-2,phone,13700000202", "acc-3,phone,13700000203",
                                       "acc-4,phone,13700000204"], name: "accounts.csv")
        try await scene.must("beta", ["watch", "add"], [file.path])
        #expect(try scene.outbox("beta").isEmpty, "nothing is known before the first sync")
        let first = try await scene.sync("beta")
        #expect(first.stdout.contains("alpha\tok\t3 applied, 0 revoked, 0 retractions, 1 page(s), 2 watch matches"), "\(first)")
        #expect(try scene.outbox("beta").keys("match") == ["acc-2 alpha E2", "acc-3 alpha E3"])

        // E3 amended to name acc-4's phone instead: acc-3's match is retracted, acc-4 matches.
        try await scene.importEntries("alpha", ["E3,black,counterfeiting,3,phone,13700000204,\(past),"], name: "amend")
        try await scene.sync("beta")
        // ...and back: acc-4's is retracted, acc-3 matches again (a new record: its match was retracted).
        try await scene.importEntries("alpha", ["E3,black,counterfeiting,3,phone,13700000203,\(past),"], name: "amend-back")
        try await scene.sync("beta")
        #expect(try scene.outbox("beta").dropFirst(2).map { "\($0.type) \($0.key) \($0.reason ?? "-") \($0.source ?? "-")" } == [
            "retraction acc-3 alpha E3 amended watch", "match acc-4 alpha E3 - watch",
            "retraction acc-4 alpha E3 amended watch", "match acc-3 alpha E3 - watch"])

        // Tomorrow: E1 starts, E2 has expired; beta's round does it with no screen, once.
        let tomorrowEnvironment = ["EXCHANGE_NODE_DAY_OFFSET": "1"]
        try await scene.sync("beta", environment: tomorrowEnvironment)
        try await scene.sync("beta", environment: tomorrowEnvironment)
        let outbox = try scene.outbox("beta")
        #expect(outbox.dropFirst(6).map { "\($0.type) \($0.key) \($0.reason ?? "-")" } == [
            "retraction acc-2 alpha E2 expired", "match acc-1 alpha E1 -"])
        let screened = try await scene.alliance.run(["screen", "--home", scene.node("beta").home.path, file.path, "--no-record",
                                                     "--out", scene.alliance.path("tomorrow.jsonl").path], environment: tomorrowEnvironment)
        #expect(screened.succeeded, "\(screened)")
        let lines = try String(contentsOf: scene.alliance.path("tomorrow.jsonl"), encoding: .utf8).split(separator: "\n")
        let open = Set(outbox.filter { $0.type == "match" }.map(\.key)).subtracting(
            outbox.filter { $0.type == "retraction" }.map(\.key).filter { key in
                // a key retracted after its last match record is closed
                outbox.lastIndex { $0.key == key && $0.type == "retraction" }! > outbox.lastIndex { $0.key == key && $0.type == "match" }!
            })
        #expect(open.sorted() == lines.compactMap { WatchRecord(json: String($0))?.key }.sorted(), "open matches \(open.sorted())")
    }
}
