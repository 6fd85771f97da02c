import AllianceTestSupport
import Foundation
import Testing

/// The process-level fixture end to end, as other suites use it: members with a coordinator, an import,
/// a served node, a sync, a screening, the internal API and a report to the coordinator.
@Suite("Fixture: an alliance of processes")
struct TestAllianceTests {
    @Test("two members and their coordinator: import, serve, sync, screen, read the outbox, report")
    func membersWithACoordinator() async throws {
        let alliance = try TestAlliance("fixture")
        defer { alliance.shutdown() }
        let (nodes, coordinator) = try await alliance.createMembers(2, coordinator: true)
        let (origin, screener) = (nodes[0], nodes[1])
        let entries = "entry_id,list,category,severity,kind,identifier,listed_on,expires_on\n"
            + "E1,black,brushing,2,phone,13800138000,2026-01-01,2030-01-01\n"
        #expect(try await alliance.importEntries(entries, at: origin).succeeded)
        try await alliance.serve(origin)
        let synced = try await alliance.sync(screener)
        #expect(synced.succeeded && synced.stdout.contains("\(origin.member)\tok\t1 applied"), "\(synced)")
        let screened = try await alliance.screen("ref,kind,identifier\nacct-1,phone,+86 138 0013 8000\n", at: screener,
                                                 arguments: ["--as-of", "2026-08-01"])
        #expect(screened.succeeded, "\(screened)")
        #expect(screened.stdout.contains("\"entry_id\":\"E1\""), "\(screened.stdout)")
        try await alliance.serve(screener)
        let outbox = try await alliance.internalAPI(screener, "GET", "/v1/outbox?after=0")
        #expect(outbox.status == 200 && outbox.body.contains("\"type\":\"match\""), "\(outbox)")
        let server = try await alliance.serve(try #require(coordinator))
        let reported = try await alliance.run(["report", "--home", screener.home.path])
        #expect(reported.succeeded && reported.stdout.hasPrefix("sent "), "\(reported)")
        let stopped = await alliance.stop(server)
        #expect(stopped.exitedNormally, "\(stopped)")
    }
}
