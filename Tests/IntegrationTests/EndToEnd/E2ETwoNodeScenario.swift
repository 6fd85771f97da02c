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

/// The identifiers the two-node scenario feeds in, raw and canonical.
enum E2ETwoNodeData {
    static let alphaPhone = "13800138000"
    static let alphaPhoneCanonical = "+8613800138000"
    static let alphaPhoneMessy = "+86 138-0013-8000"
    static let alphaResidentID = "11010519491231002X"
    static let alphaEmail = "seller@fraud-demo.cn"
    static let betaPhone = "13900139000"
    static let betaPhoneCanonical = "+8613900139000"
    static let betaDomain = "brush-orders-demo.cn"
    static let betaBankCard = "6222020200112233446"

    static let alphaEntries = [
        E2EFixtures.entriesHeader,
        E2EFixtures.entryRow("A1", severity: 2, kind: "phone", identifier: alphaPhone),
        E2EFixtures.entryRow("A2", category: "counterfeiting", severity: 3, kind: "resident-id", identifier: alphaResidentID),
        E2EFixtures.entryRow("A3", list: "watch", category: "false-advertising", kind: "email", identifier: alphaEmail),
    ].joined(separator: "\n") + "\n"

    static let betaEntries = [
        E2EFixtures.entriesHeader,
        E2EFixtures.entryRow("B1", kind: "phone", identifier: betaPhone),
        E2EFixtures.entryRow("B2", severity: 2, kind: "domain", identifier: betaDomain),
        E2EFixtures.entryRow("B3", category: "counterfeiting", kind: "bank-card", identifier: betaBankCard),
    ].joined(separator: "\n") + "\n"

    /// acc-1 is alpha's A1 typed messily, acc-2 matches nothing, acc-3 is A2 with a lower-case x.
    static let betaAccounts = """
        ref,kind,identifier
        acc-1,phone,\(alphaPhoneMessy)
        acc-2,phone,13700000000
        acc-3,resident-id,\(alphaResidentID.lowercased())

        """

    /// Every raw and canonical spelling that must never leave a node's store in the clear.
    static let secrets = [
        alphaPhone, alphaPhoneCanonical, "8613800138000", "138-0013-8000", alphaResidentID,
        alphaResidentID.lowercased(), alphaEmail, betaPhone, betaPhoneCanonical, betaDomain, betaBankCard,
    ]

    /// The canonical forms (and the national phone numbers) whose unkeyed digests must not appear either.
    static let hashedForms = [
        alphaPhoneCanonical, alphaPhone, alphaResidentID, alphaEmail, betaPhoneCanonical, betaPhone,
        betaDomain, betaBankCard,
    ]
}

enum E2ETwoNodeScenario {
    /// The scenario, run once on first use by whichever test gets there first.
    static let shared = Task<E2ETwoNodeRecord, any Error> { try await run() }

    static func run() async throws -> E2ETwoNodeRecord {
        let workspace = try TestAlliance("two-nodes")
        // Servers stop whatever happens; the files stay for the privacy test and go at process exit.
        defer { workspace.shutdown(keepFiles: true) }
        let data = E2ETwoNodeData.self

        try await workspace.createCA("CA")
        let alpha = try await workspace.createNode("alpha")
        let beta = try await workspace.createNode("beta")
        try await workspace.addPeer(beta, to: alpha)
        try await workspace.addPeer(alpha, to: beta)

        let alphaFile = try workspace.write(data.alphaEntries, to: "alpha-entries.csv")
        let betaFile = try workspace.write(data.betaEntries, to: "beta-entries.csv")
        let accounts = try workspace.write(data.betaAccounts, to: "beta-accounts.csv")
        let importAlpha = try await workspace.run(["import", "--home", alpha.home.path, alphaFile.path])
        let importBeta = try await workspace.run(["import", "--home", beta.home.path, betaFile.path])

        let alphaServer = try await workspace.serve(alpha)
        let betaServer = try await workspace.serve(beta)

        let syncBeta = try await workspace.run(["sync", "--home", beta.home.path])
        let syncAlpha = try await workspace.run(["sync", "--home", alpha.home.path])
        let statusAlpha = try await workspace.run(["status", "--home", alpha.home.path, "--json"])
        let statusBeta = try await workspace.run(["status", "--home", beta.home.path, "--json"])

        let screenBeforeFile = workspace.path("screen-before.jsonl")
        let screenBefore = try await workspace.run([
            "screen", "--home", beta.home.path, accounts.path, "--as-of", "2026-07-01", "--out", screenBeforeFile.path,
        ])
        let betaToken = try beta.internalToken()
        let apiScreenBefore = try await apiScreen(
            workspace, beta, token: betaToken, ref: "api-1", kind: "phone", identifier: data.alphaPhoneMessy)

        let revoke = try await workspace.run(["revoke", "--home", alpha.home.path, "--entry", "A1", "--reason", "erroneous"])
        let syncBetaAfterRevoke = try await workspace.run(["sync", "--home", beta.home.path])
        let statusBetaAfterRevoke = try await workspace.run(["status", "--home", beta.home.path, "--json"])
        let screenAfterFile = workspace.path("screen-after.jsonl")
        let screenAfter = try await workspace.run([
            "screen", "--home", beta.home.path, accounts.path, "--as-of", "2026-07-01", "--out", screenAfterFile.path,
        ])
        let apiScreenAfter = try await apiScreen(
            workspace, beta, token: betaToken, ref: "api-2", kind: "phone", identifier: data.alphaPhoneMessy)
        let revokeOwn = try await workspace.run(["revoke", "--home", beta.home.path, "--entry", "B1", "--reason", "rectified"])
        let apiScreenOwnRevoked = try await apiScreen(
            workspace, beta, token: betaToken, ref: "api-3", kind: "phone", identifier: data.betaPhone)

        let outbox = try await workspace.curl(
            E2EHTTPReply.statusArguments
                + ["-H", "Authorization: Bearer \(betaToken)", "\(beta.internalURL)/v1/outbox?after=0"])
        let outboxWithoutToken = try await workspace.curl(
            E2EHTTPReply.statusArguments + ["\(beta.internalURL)/v1/outbox?after=0"])

        let stopAlpha = await workspace.stop(alphaServer)
        let stopBeta = await workspace.stop(betaServer)
        let auditAlpha = try await workspace.run(["audit", "verify", "--home", alpha.home.path])
        let auditBeta = try await workspace.run(["audit", "verify", "--home", beta.home.path])

        return E2ETwoNodeRecord(
            workspace: workspace, alpha: alpha, beta: beta,
            importAlpha: importAlpha, importBeta: importBeta,
            syncBeta: syncBeta, syncAlpha: syncAlpha, statusAlpha: statusAlpha, statusBeta: statusBeta,
            screenBefore: screenBefore, screenBeforeLines: contents(of: screenBeforeFile),
            apiScreenBefore: apiScreenBefore, revoke: revoke, syncBetaAfterRevoke: syncBetaAfterRevoke,
            statusBetaAfterRevoke: statusBetaAfterRevoke,
            screenAfter: screenAfter, screenAfterLines: contents(of: screenAfterFile),
            apiScreenAfter: apiScreenAfter, revokeOwn: revokeOwn, apiScreenOwnRevoked: apiScreenOwnRevoked, outbox: outbox, outboxWithoutToken: outboxWithoutToken,
            stopAlpha: stopAlpha, stopBeta: stopBeta, auditAlpha: auditAlpha, auditBeta: auditBeta,
            outputFiles: [screenBeforeFile, screenAfterFile])
    }

    /// `POST /v1/screen` on the node's internal API (the real-time path for new registrations).
    private static func apiScreen(
        _ workspace: TestAlliance, _ node: TestNode, token: String, ref: String, kind: String, identifier: String
    ) async throws -> ProcessResult {
        let body = #"{"ref":"\#(ref)","kind":"\#(kind)","identifier":"\#(identifier)"}"#
        return try await workspace.curl(
            E2EHTTPReply.statusArguments + [
                "-H", "Authorization: Bearer \(token)", "-H", "Content-Type: application/json",
                "--data", body, "\(node.internalURL)/v1/screen",
            ])
    }

    private static func contents(of url: URL) -> String {
        (try? String(contentsOf: url, encoding: .utf8)) ?? ""
    }
}
