import AllianceTestSupport
import Foundation

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
