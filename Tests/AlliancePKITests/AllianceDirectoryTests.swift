import AllianceTestSupport
import Foundation
import Testing
import X509

@testable import AlliancePKI
@testable import ExchangeProtocol

@Suite("Alliance PKI: CA folder, member certificates, key files")
struct AllianceDirectoryTests {
    @Test func openSSLAcceptsTheCAAndMemberCertificates() async throws {
        let temp = try TemporaryDirectory()
        defer { temp.cleanUp() }
        let dir = AllianceDirectory(temp.path)
        _ = try dir.initialise(allianceName: "Test")
        let alice = try MemberID("alice")
        _ = try dir.issue(
            MemberCertificateRequest(memberID: alice, dnsNames: ["node.alice.example"], ipAddresses: ["127.0.0.1", "::1"])
        )

        let plain = try await ChildProcess.run(
            TestPaths.openssl, ["verify", "-CAfile", dir.caCertificatePath, dir.memberCertificatePath(alice)]
        )
        #expect(plain.exitCode == 0, "\(plain.output)")
        #expect(plain.output.contains(": OK"))
        for purpose in ["sslclient", "sslserver"] {
            let result = try await ChildProcess.run(
                TestPaths.openssl,
                ["verify", "-purpose", purpose, "-CAfile", dir.memberCAPath(alice), dir.memberCertificatePath(alice)]
            )
            #expect(result.exitCode == 0, "\(purpose): \(result.output)")
        }

        let text = try await ChildProcess.run(
            TestPaths.openssl, ["x509", "-in", dir.memberCertificatePath(alice), "-noout", "-text"]
        ).output
        #expect(text.contains("URI:urn:alliance:member:alice"))
        #expect(text.contains("URI:urn:alliance:role:node"))
        #expect(text.contains("DNS:node.alice.example"))
        #expect(text.contains("IP Address:127.0.0.1"))
        #expect(text.contains("TLS Web Server Authentication, TLS Web Client Authentication"))
        #expect(text.contains("Digital Signature"))
        #expect(text.contains("CA:FALSE"))

        let caText = try await ChildProcess.run(TestPaths.openssl, ["x509", "-in", dir.caCertificatePath, "-noout", "-text"]).output
        #expect(caText.contains("CN=Test Alliance CA") || caText.contains("CN = Test Alliance CA"))
        #expect(caText.contains("CA:TRUE"))
        #expect(caText.contains("Certificate Sign, CRL Sign"))
    }

    @Test func peerIdentityRoundTripsTheSANURIs() async throws {
        let ca = try AllianceCA.create(allianceName: "Test")
        let issued = try ca.issueMemberCertificate(
            MemberCertificateRequest(memberID: try MemberID("bank-7"), role: .coordinator)
        )
        let identity = try PeerIdentity(certificate: issued.certificate)
        #expect(identity.memberID.rawValue == "bank-7")
        #expect(identity.role == .coordinator)
        #expect(identity.serialHex == issued.serialHex)
        #expect(identity.serialHex.count == 32)
        #expect(identity.fingerprintSHA256 == issued.fingerprintSHA256)

        let nio = try PEMFiles.nioCertificate(issued.certificate)
        #expect(try PeerIdentity(certificate: nio) == identity)

        // The same fingerprint openssl computes.
        let temp = try TemporaryDirectory()
        defer { temp.cleanUp() }
        let path = temp.path + "/cert.pem"
        try PEMFiles.writeCertificate(issued.certificate, path: path)
        let openssl = try await ChildProcess.run(TestPaths.openssl, ["x509", "-in", path, "-noout", "-fingerprint", "-sha256", "-serial"])
        let normalised = openssl.output.lowercased().replacingOccurrences(of: ":", with: "")
        #expect(normalised.contains(identity.fingerprintSHA256))
        #expect(normalised.contains("serial=\(identity.serialHex)"))
    }

    @Test func aCertificateWithoutAMemberURIHasNoIdentity() throws {
        let ca = try AllianceCA.create(allianceName: "Test")
        #expect(throws: PeerIdentityError.missingMemberURI) { try PeerIdentity(certificate: ca.certificate) }
        #expect(throws: PeerIdentityError.undecodableCertificate) { try PeerIdentity(derEncoded: [0x30, 0x03, 0x02, 0x01]) }
    }

    @Test func memberIDsAreValidated() throws {
        for good in ["a", "alice", "bank-7", "0", String(repeating: "a", count: 63)] {
            #expect(throws: Never.self) { try MemberID(good) }
        }
        let refusals: [(String, String)] = [
            ("", "empty"), ("-a", "must start with a lower-case letter or digit"),
            ("Alice", "must start with a lower-case letter or digit"), ("a_b", "character 2 is not a lower-case letter, digit or '-'"),
            ("a.b", "character 2 is not a lower-case letter, digit or '-'"), ("a b", "character 2 is not a lower-case letter, digit or '-'"),
            (String(repeating: "a", count: 64), "longer than 63 characters"), ("ä", "must start with a lower-case letter or digit"),
        ]
        for (bad, reason) in refusals {
            #expect(throws: MemberIDError(bad, reason: reason)) { try MemberID(bad) }
        }
    }

    @Test func badDNSNamesAndIPAddressesAreRefused() throws {
        let id = try MemberID("alice")
        let hostName = "is not a host name (letters, digits, '-', dot-separated labels; no wildcards)"
        #expect(throws: PKIError.invalidArgument("--dns '*.example.com' \(hostName)")) {
            try MemberCertificateRequest(memberID: id, dnsNames: ["*.example.com"])
        }
        #expect(throws: PKIError.invalidArgument("--dns 'bad_name.example' \(hostName)")) {
            try MemberCertificateRequest(memberID: id, dnsNames: ["bad_name.example"])
        }
        #expect(throws: PKIError.invalidArgument("--ip '300.1.1.1' is not an IPv4 or IPv6 address")) {
            try MemberCertificateRequest(memberID: id, ipAddresses: ["300.1.1.1"])
        }
        let ok = try MemberCertificateRequest(memberID: id, dnsNames: ["Node.Example.COM"], ipAddresses: ["10.0.0.1"])
        #expect(ok.dnsNames == ["node.example.com"])
    }

    @Test func secretFilesAreWrittenWithMode0600() throws {
        let temp = try TemporaryDirectory()
        defer { temp.cleanUp() }
        let dir = AllianceDirectory(temp.path)
        _ = try dir.initialise(allianceName: "Test")
        let alice = try MemberID("alice")
        _ = try dir.issue(MemberCertificateRequest(memberID: alice))

        #expect(try fileMode(dir.caKeyPath) == 0o600)
        #expect(try fileMode(dir.tokenKeyPath) == 0o600)
        #expect(try fileMode(dir.memberKeyPath(alice)) == 0o600)
        #expect(try fileMode(dir.caCertificatePath) == 0o644)
        #expect(try fileMode(dir.memberCertificatePath(alice)) == 0o644)
        let leftovers = try FileManager.default.contentsOfDirectory(atPath: temp.path).filter { $0.hasSuffix(".tmp") }
        #expect(leftovers.isEmpty)

        let tokenJSON = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir.tokenKeyPath))) as? [String: Any]
        #expect(tokenJSON?["scheme"] as? String == "keyed-hash")
        #expect(tokenJSON?["epoch"] as? Int == 1)
        #expect((tokenJSON?["key"] as? String).flatMap { Data(base64Encoded: $0) }?.count == 32)
        #expect((tokenJSON?["created"] as? String).flatMap { try? Date($0, strategy: .iso8601) } != nil)

        // The private key files are really the keys of the certificates.
        let credentials = try MemberCredentials.load(memberDirectory: dir.memberDirectory(alice))
        #expect(credentials.identity.memberID == alice)
        _ = try dir.loadCA()
    }

    @Test func aKeyFileReadableByOthersIsRefusedByName() throws {
        let temp = try TemporaryDirectory()
        defer { temp.cleanUp() }
        let dir = AllianceDirectory(temp.path)
        _ = try dir.initialise(allianceName: "Test")
        let alice = try MemberID("alice")
        _ = try dir.issue(MemberCertificateRequest(memberID: alice))

        let keyPath = dir.memberKeyPath(alice)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: keyPath)
        #expect(throws: PKIError.keyFileTooPermissive(path: keyPath, mode: UInt32(0o100644))) {
            try KeyFile.readPrivateKey(path: keyPath)
        }
        #expect(throws: PKIError.keyFileTooPermissive(path: keyPath, mode: UInt32(0o100644))) {
            try MemberCredentials.load(memberDirectory: dir.memberDirectory(alice))
        }
        do {
            _ = try KeyFile.readPrivateKey(path: keyPath)
        } catch {
            #expect(error.description.contains(keyPath))
            #expect(!error.description.contains("PRIVATE KEY"))
        }
        try FileManager.default.setAttributes([.posixPermissions: 0o640], ofItemAtPath: dir.caKeyPath)
        #expect(throws: PKIError.keyFileTooPermissive(path: dir.caKeyPath, mode: UInt32(0o100640))) { try dir.loadCA() }
        try FileManager.default.setAttributes([.posixPermissions: 0o600], ofItemAtPath: keyPath)
        #expect(throws: Never.self) { try KeyFile.readPrivateKey(path: keyPath) }
    }

    @Test func anExistingCAIsOnlyReplacedWithForce() throws {
        let temp = try TemporaryDirectory()
        defer { temp.cleanUp() }
        let dir = AllianceDirectory(temp.path)
        let first = try dir.initialise(allianceName: "Test")
        #expect(throws: PKIError.alreadyExists(
            path: dir.caCertificatePath,
            hint: "pass --force to replace the CA, token key and revocation list (every member certificate must then be re-issued)"
        )) {
            try dir.initialise(allianceName: "Test")
        }
        #expect(CertificateSerial.hex(of: try dir.loadCA().certificate.serialNumber) == first.caSerialHex)
        let second = try dir.initialise(allianceName: "Test", force: true)
        #expect(first.caFingerprintSHA256 != second.caFingerprintSHA256)

        let alice = try MemberID("alice")
        let issued = try dir.issue(MemberCertificateRequest(memberID: alice))
        #expect(throws: PKIError.alreadyExists(
            path: dir.memberCertificatePath(alice),
            hint: "pass --force to re-issue (then consider `certs revoke --serial` for the old certificate)"
        )) {
            try dir.issue(MemberCertificateRequest(memberID: alice))
        }
        let reissued = try dir.issue(MemberCertificateRequest(memberID: alice), force: true)
        #expect(reissued.replacedSerialHex == issued.issued.serialHex)
    }

    @Test func serialsAreNormalised() throws {
        #expect(try CertificateSerial.normalise("0x00AB:CD") == "abcd")
        #expect(try CertificateSerial.normalise("  7f  ") == "7f")
        let notHex = PKIError.invalidArgument("serial must be 1-64 hexadecimal digits (colons allowed)")
        #expect(throws: notHex) { try CertificateSerial.normalise("xyz") }
        #expect(throws: notHex) { try CertificateSerial.normalise("") }
    }
}
