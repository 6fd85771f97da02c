import Testing

/// The tamper-evident audit log of each node after the two-node exchange, in which command-line
/// processes (`sync`, `status`, `screen`, `revoke`) ran while the node's `serve` process was up.
@Suite("EndToEnd: audit log after concurrent processes")
struct EndToEndAuditLogTests {
    @Test("audit verify passes on both homes after CLI commands ran alongside serve")
    func auditLogsVerify() async throws {
        let run = try await E2ETwoNodeScenario.shared.value
        #expect(run.auditAlpha.succeeded && run.auditAlpha.stdout.contains("intact"), "\(run.auditAlpha)")
        #expect(run.auditBeta.succeeded && run.auditBeta.stdout.contains("intact"), "\(run.auditBeta)")
    }
}
