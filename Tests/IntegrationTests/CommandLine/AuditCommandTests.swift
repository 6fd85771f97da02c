import AllianceTestSupport
import Crypto
import Foundation
import Testing
import X509

@testable import ExchangeAudit

/// `exchange-node audit verify|show`, run as the operator runs them: their exit statuses and output.
@Suite("Audit log: commands")
struct AuditCommandTests {
    /// A node home holding a 30-record log written with `key`, and the key's certificate or only the key file.
    private func home(key: P256.Signing.PrivateKey, withCertificate: Bool) throws -> String {
        let home = try TemporaryDirectory().path
        try FileManager.default.createDirectory(atPath: home + "/keys", withIntermediateDirectories: true)
        if withCertificate {
            let name = try DistinguishedName { CommonName("node-under-test") }
            let now = Date()
            let certificate = try Certificate(
                version: .v3, serialNumber: .init(), publicKey: .init(key.publicKey),
                notValidBefore: now - 60, notValidAfter: now + 3600, issuer: name, subject: name,
                signatureAlgorithm: .ecdsaWithSHA256, extensions: Certificate.Extensions(), issuerPrivateKey: .init(key))
            try certificate.serializeAsPEM().pemString.write(toFile: home + "/keys/node.cert.pem", atomically: true, encoding: .utf8)
        } else {
            try key.pemRepresentation.write(toFile: home + "/keys/node.key.pem", atomically: true, encoding: .utf8)
        }
        let log = try AuditLog(directory: home + "/audit", signingKey: key)
        for n in 1...30 {
            log.append(AuditEvent(actor: n % 3 == 0 ? "member-c" : "member-a", role: .peer, action: n % 2 == 0 ? .syncPull : .syncServe,
                                  outcome: n % 7 == 0 ? .refused : .ok, detail: ["events": .count(n)]))
        }
        try log.close()
        return home
    }

    private func exitCode(_ arguments: [String]) async throws -> Int32 {
        let result = try await ChildProcess.run(TestPaths.binary, ["audit"] + arguments)
        #expect(result.exitedNormally, "\(result)")
        return result.exitCode
    }

    @Test("verify exits 0 when intact, 1 when damaged, 2 when there is nothing to read", arguments: [true, false])
    func verifyExitCodes(withCertificate: Bool) async throws {
        let key = P256.Signing.PrivateKey()
        let home = try home(key: key, withCertificate: withCertificate)
        #expect(try await exitCode(["verify", "--home", home]) == 0)
        let logPath = home + "/audit/" + AuditLog.logFileName
        var lines = try String(contentsOfFile: logPath, encoding: .utf8).split(separator: "\n", omittingEmptySubsequences: false)
        lines.swapAt(10, 11)
        try lines.joined(separator: "\n").write(toFile: logPath, atomically: true, encoding: .utf8)
        #expect(try await exitCode(["verify", "--home", home]) == 1)
        #expect(try await exitCode(["verify", "--home", try TemporaryDirectory().path]) == 2)
    }

    @Test("verify accepts an earlier key given with --key")
    func extraKey() async throws {
        let oldKey = P256.Signing.PrivateKey()
        let home = try home(key: oldKey, withCertificate: false)
        let newKey = P256.Signing.PrivateKey()
        try FileManager.default.removeItem(atPath: home + "/keys/node.key.pem")
        try newKey.pemRepresentation.write(toFile: home + "/keys/node.key.pem", atomically: true, encoding: .utf8)
        let log = try AuditLog(directory: home + "/audit", signingKey: newKey)
        try log.close()
        #expect(try await exitCode(["verify", "--home", home]) == 1)
        let oldPublic = home + "/old.pub.pem"
        try oldKey.publicKey.pemRepresentation.write(toFile: oldPublic, atomically: true, encoding: .utf8)
        #expect(try await exitCode(["verify", "--home", home, "--key", oldPublic]) == 0)
    }

    @Test("show parses its filters and prints the selected records; a bad --since is refused")
    func show() async throws {
        let home = try home(key: P256.Signing.PrivateKey(), withCertificate: false)
        let shown = try await ChildProcess.run(TestPaths.binary, ["audit", "show", "--home", home, "--action", "sync",
                                                                  "--outcome", "refused", "--since", "2020-01-01", "--limit", "2", "--json"])
        #expect(shown.succeeded, "\(shown)")
        let records = shown.stdout.split(separator: "\n")
        #expect(records.count == 2 && records.allSatisfy { $0.contains("\"outcome\":\"refused\"") }, "\(shown.stdout)")
        #expect(try await exitCode(["show", "--home", home, "--since", "yesterday"]) != 0)
    }
}
