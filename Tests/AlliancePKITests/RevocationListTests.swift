import AllianceTestSupport
import Foundation
import Testing

@testable import AlliancePKI
@testable import ExchangeProtocol

@Suite("Alliance PKI: signed revocation list")
struct RevocationListTests {
    private func makeDirectory() throws -> (TemporaryDirectory, AllianceDirectory, MemberID) {
        let temp = try TemporaryDirectory()
        let dir = AllianceDirectory(temp.path)
        _ = try dir.initialise(allianceName: "Test")
        let alice = try MemberID("alice")
        _ = try dir.issue(MemberCertificateRequest(memberID: alice))
        return (temp, dir, alice)
    }

    @Test func revokingAMemberAddsItsSerialAndReSigns() throws {
        let (temp, dir, alice) = try makeDirectory()
        defer { temp.cleanUp() }
        #expect(try dir.loadRevocationList().serials.isEmpty)

        let serial = try MemberCredentials.load(memberDirectory: dir.memberDirectory(alice)).identity.serialHex
        let revocation = try dir.revoke(member: alice)
        #expect(revocation.serialHex == serial)
        #expect(!revocation.alreadyRevoked)
        let loaded = try dir.loadRevocationList()
        #expect(loaded.serials == [serial])
        #expect(loaded.contains(serialHex: serial))

        let other = try dir.revoke(serialHex: "0A:BC")
        #expect(other.serialHex == "0abc")
        #expect(try dir.loadRevocationList().serials == ["0abc", serial].sorted())
        #expect(try dir.revoke(serialHex: "abc").alreadyRevoked)
    }

    @Test func aTamperedListIsRefused() throws {
        let (temp, dir, alice) = try makeDirectory()
        defer { temp.cleanUp() }
        _ = try dir.revoke(member: alice)
        let original = try String(contentsOfFile: dir.revocationListPath, encoding: .utf8)
        let serial = try dir.loadRevocationList().serials[0]

        // Un-revoking by deleting the serial.
        try original.replacingOccurrences(of: "\"\(serial)\"", with: "").write(toFile: dir.revocationListPath, atomically: true, encoding: .utf8)
        #expect(throws: PKIError.revocationListSignatureInvalid(path: dir.revocationListPath)) { try dir.loadRevocationList() }

        // Changing the issue date.
        let json = try JSONSerialization.jsonObject(with: Data(original.utf8)) as! [String: Any]
        var altered = json
        altered["issued"] = "2000-01-01T00:00:00Z"
        try JSONSerialization.data(withJSONObject: altered).write(to: URL(fileURLWithPath: dir.revocationListPath))
        #expect(throws: PKIError.revocationListSignatureInvalid(path: dir.revocationListPath)) { try dir.loadRevocationList() }

        // A serial in a non-canonical form.
        altered = json
        altered["serials"] = [serial.uppercased()]
        try JSONSerialization.data(withJSONObject: altered).write(to: URL(fileURLWithPath: dir.revocationListPath))
        #expect(throws: PKIError.malformedFile(path: dir.revocationListPath, reason: "serials[0] is not canonical lower-case hex")) {
            try dir.loadRevocationList()
        }

        // Not JSON at all.
        try "garbage".write(toFile: dir.revocationListPath, atomically: true, encoding: .utf8)
        #expect(throws: PKIError.malformedFile(path: dir.revocationListPath,
                                               reason: "not a revocation list (expected issued, serials, signature)")) {
            try dir.loadRevocationList()
        }

        // Reordering the JSON or the serials does not matter: the signature covers a canonical encoding.
        try original.write(toFile: dir.revocationListPath, atomically: true, encoding: .utf8)
        try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys]).write(to: URL(fileURLWithPath: dir.revocationListPath))
        #expect(try dir.loadRevocationList().serials == [serial])

        // And revoking again refuses to build on a tampered list rather than replacing it.
        try original.replacingOccurrences(of: "\"\(serial)\"", with: "").write(toFile: dir.revocationListPath, atomically: true, encoding: .utf8)
        #expect(throws: PKIError.revocationListSignatureInvalid(path: dir.revocationListPath)) { try dir.revoke(serialHex: "01") }
    }

    @Test func aListSignedByAnotherCAIsRefused() throws {
        let (temp, dir, _) = try makeDirectory()
        defer { temp.cleanUp() }
        let impostor = try AllianceCA.create(allianceName: "Test")
        try RevocationList.signed(serials: [], by: impostor).write(path: dir.revocationListPath)
        #expect(throws: PKIError.revocationListSignatureInvalid(path: dir.revocationListPath)) { try dir.loadRevocationList() }
    }

    @Test func openSSLVerifiesTheSignatureOverTheCanonicalEncoding() async throws {
        let (temp, dir, alice) = try makeDirectory()
        defer { temp.cleanUp() }
        _ = try dir.revoke(member: alice)
        _ = try dir.revoke(serialHex: "01")
        let list = try dir.loadRevocationList()

        let canonical = temp.path + "/canonical.txt"
        let signature = temp.path + "/signature.der"
        let publicKey = temp.path + "/ca.pub.pem"
        try RevocationList.canonicalEncoding(issued: list.issued, serials: list.serials).write(to: URL(fileURLWithPath: canonical))
        try list.signature.write(to: URL(fileURLWithPath: signature))
        let extract = try await ChildProcess.run(TestPaths.openssl, ["x509", "-in", dir.caCertificatePath, "-pubkey", "-noout", "-out", publicKey])
        #expect(extract.exitCode == 0, "\(extract.output)")
        let verify = try await ChildProcess.run(
            TestPaths.openssl, ["dgst", "-sha256", "-verify", publicKey, "-signature", signature, canonical]
        )
        #expect(verify.exitCode == 0, "\(verify.output)")
        #expect(verify.output.contains("Verified OK"))
    }

    @Test func theLiveListRefusesAnOlderReplacement() throws {
        let ca = try AllianceCA.create(allianceName: "Test")
        let now = Date()
        let newer = try RevocationList.signed(serials: ["aa"], by: ca, now: now)
        let older = try RevocationList.signed(serials: [], by: ca, now: now - 3600)
        let live = LiveRevocationList(newer)
        #expect(live.isRevoked(serialHex: "aa"))
        #expect(!live.replace(with: older))
        #expect(live.isRevoked(serialHex: "aa"))
        #expect(live.replace(with: try RevocationList.signed(serials: ["aa", "bb"], by: ca, now: now + 60)))
        #expect(live.isRevoked(serialHex: "bb"))
    }
}
