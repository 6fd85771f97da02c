import AllianceTestSupport
import Crypto
import Foundation
import Testing

/// After the two-node exchange, no raw identifier and no unkeyed digest of one is anywhere in either
/// node's home (store, WAL, audit log, outbox, keys) or in anything the processes printed.
@Suite("EndToEnd: privacy of files and output")
struct EndToEndPrivacyTests {
    private let scanner = LeakScanner(
        secrets: E2ETwoNodeData.secrets, hashedForms: E2ETwoNodeData.hashedForms)

    @Test("the scanner finds what it looks for (so a clean result means something)")
    func scannerSelfCheck() throws {
        let canonical = E2ETwoNodeData.alphaPhoneCanonical
        let sha = SHA256.hash(data: Data(canonical.utf8)).map { String(format: "%02x", $0) }.joined()
        #expect(!scanner.findings(in: Data("x\(canonical)x".utf8)).isEmpty)
        #expect(!scanner.findings(in: Data("log: token=\(sha)".utf8)).isEmpty)
        #expect(!scanner.findings(in: Data("log: token=\(sha.uppercased())".utf8)).isEmpty)
        #expect(scanner.findings(in: Data("alpha\tok\t3 applied, 0 revoked".utf8)).isEmpty)
    }

    @Test("no raw identifier or unkeyed digest in either home, the screen output or any captured stdout/stderr")
    func nothingLeaks() async throws {
        let run = try await E2ETwoNodeScenario.shared.value
        var scanned = 0
        for home in [run.alpha.home, run.beta.home] {
            let files = LeakScanner.files(under: home)
            #expect(files.contains { $0.lastPathComponent == "store.sqlite" }, "store missing under \(home.path)")
            for file in files {
                let bytes = try Data(contentsOf: file)
                scanned += bytes.count
                let found = scanner.findings(in: bytes)
                #expect(found.isEmpty, "\(file.path) holds \(found)")
            }
        }
        for file in run.outputFiles {
            let found = scanner.findings(in: (try? Data(contentsOf: file)) ?? Data())
            #expect(found.isEmpty, "\(file.lastPathComponent) holds \(found)")
        }
        let results = run.workspace.results
        #expect(results.count >= 20, "the scenario ran \(results.count) processes")
        for result in results {
            let found = scanner.findings(in: Data((result.stdout + "\n" + result.stderr).utf8))
            #expect(found.isEmpty, "output of \(result.label) holds \(found)")
        }
        #expect(scanned > 100_000, "scanned only \(scanned) bytes")
    }
}
