import ArgumentParser
import Crypto
import Foundation
import Testing
import X509
@testable import ExchangeNode

@Suite("Audit log: commands and queries")
struct AuditCommandTests {
    typealias Support = AuditTestSupport

    /// A node home holding a log written with `key`, and the key's certificate or only the key file.
    private func home(key: P256.Signing.PrivateKey, withCertificate: Bool) throws -> String {
        let home = Support.temporaryDirectory("home")
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
        for n in 1...30 { log.append(Support.event(n, actor: n % 3 == 0 ? "member-c" : "member-a")) }
        try log.close()
        return home
    }

    private func run(_ arguments: [String]) async throws {
        var command = try AuditCommand.parseAsRoot(arguments)
        if var asyncCommand = command as? AsyncParsableCommand {
            try await asyncCommand.run()
        } else {
            try command.run()
        }
    }

    private func exitCode(_ arguments: [String]) async -> Int32 {
        do {
            try await run(arguments)
            return 0
        } catch let code as ExitCode {
            return code.rawValue
        } catch {
            return -1
        }
    }

    @Test("verify exits 0 when intact, 1 when damaged, 2 when there is nothing to read", arguments: [true, false])
    func verifyExitCodes(withCertificate: Bool) async throws {
        let key = P256.Signing.PrivateKey()
        let home = try home(key: key, withCertificate: withCertificate)
        #expect(await exitCode(["verify", "--home", home]) == 0)
        var lines = Support.lines(home + "/audit")
        lines.swapAt(10, 11)
        Support.write(lines, to: home + "/audit")
        #expect(await exitCode(["verify", "--home", home]) == 1)
        #expect(await exitCode(["verify", "--home", Support.temporaryDirectory("empty")]) == 2)
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
        #expect(await exitCode(["verify", "--home", home]) == 1)
        let oldPublic = home + "/old.pub.pem"
        try oldKey.publicKey.pemRepresentation.write(toFile: oldPublic, atomically: true, encoding: .utf8)
        #expect(await exitCode(["verify", "--home", home, "--key", oldPublic]) == 0)
    }

    @Test("show's filters select by action prefix, actor, outcome, time and limit")
    func filters() async throws {
        let key = P256.Signing.PrivateKey()
        let home = try home(key: key, withCertificate: false)
        let directory = home + "/audit"
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
        #expect(try select(AuditFilter(sinceMillis: AuditTime.nowMillis() + 60_000)).isEmpty)
        #expect(try select(AuditFilter(sinceMillis: AuditFilter.parseTime("2020-01-01"))).count == all.count)
        let limited = try AuditLog.records(directory: directory, filter: AuditFilter(limit: 5))
        #expect(limited.omitted == all.count - 5)
        #expect(limited.unreadableLines == 0)
        // The commands themselves parse and run.
        #expect(await exitCode(["show", "--home", home, "--action", "sync", "--outcome", "refused", "--since", "2020-01-01", "--limit", "2", "--json"]) == 0)
        #expect(await exitCode(["show", "--home", home, "--since", "yesterday"]) != 0)
    }

    @Test("show's text line lists the detail but not signatures")
    func textLine() throws {
        let record = AuditRecord(seq: 9, time: "2026-11-23T19:49:00.123Z", actor: "local", role: .internal,
                                 action: "checkpoint", outcome: .ok, detail: ["signature": "abc", "records": "5"],
                                 prev: AuditHex.zeroHash)
        #expect(AuditShowCommand.text(record) == "9  2026-11-23T19:49:00.123Z  ok  internal/local  checkpoint  records=5")
    }
}
