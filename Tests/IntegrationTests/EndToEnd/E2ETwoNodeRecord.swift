import AllianceTestSupport
import Foundation

/// The two-node exchange run once and shared by the tests that examine it (convergence, revocation,
/// privacy of the files and output it produced, audit log): alpha and beta each import their own entries,
/// serve on loopback, sync both ways, beta screens, alpha revokes, beta syncs and screens again.
/// The scenario only records what happened; the tests make the assertions.
struct E2ETwoNodeRecord: Sendable {
    let workspace: TestAlliance
    let alpha: TestNode
    let beta: TestNode
    let importAlpha: ProcessResult
    let importBeta: ProcessResult
    let syncBeta: ProcessResult
    let syncAlpha: ProcessResult
    let statusAlpha: ProcessResult
    let statusBeta: ProcessResult
    let screenBefore: ProcessResult
    let screenBeforeLines: String
    let apiScreenBefore: ProcessResult
    let revoke: ProcessResult
    let syncBetaAfterRevoke: ProcessResult
    let statusBetaAfterRevoke: ProcessResult
    let screenAfter: ProcessResult
    let screenAfterLines: String
    let apiScreenAfter: ProcessResult
    /// beta revokes its own B1 from the command line while its `serve` runs, then asks that serve.
    let revokeOwn: ProcessResult
    let apiScreenOwnRevoked: ProcessResult
    let outbox: ProcessResult
    let outboxWithoutToken: ProcessResult
    let stopAlpha: ProcessResult
    let stopBeta: ProcessResult
    let auditAlpha: ProcessResult
    let auditBeta: ProcessResult
    /// Files the scenario wrote as output (not input): screen results.
    let outputFiles: [URL]
}
