import AlliancePKI
import ArgumentParser
import ExchangeCrypto
import ExchangeNode
import ExchangeProtocol
import Foundation
import X509

/// `exchange-node certs show`: what a CA folder holds (never key material).
struct CertsShowCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "show",
        abstract: "Show the CA, token key epoch, revocation list and member certificates, with the days they have left.",
        discussion: """
            With --dir (a CA folder): verifies revoked.json against ca.pem and lists every member certificate; with \
            --member, that member's certificate in detail. With --home (a node home): the node's own certificate, \
            the CA's and each peer's as last seen on its feed.
            """
    )

    @Option(name: .long, help: ArgumentHelp("The alliance CA folder.", valueName: "DIR"))
    var dir: String?

    @Option(name: .long, help: ArgumentHelp("A node home: show the certificates it relies on instead.", valueName: "HOME"))
    var home: String?

    @Option(name: .long, help: ArgumentHelp("Show only this member's certificate.", valueName: "ID"))
    var member: String?

    func validate() throws {
        guard (dir == nil) != (home == nil) else { throw ValidationError("give either --dir (a CA folder) or --home (a node home)") }
        if home != nil, member != nil { throw ValidationError("--member goes with --dir") }
    }

    func run() async throws {
        if let home {
            let context = try NodeContext(home: NodeHome(home))
            for item in try CertificateExpiry.collect(context) { print(item.text) }
            return
        }
        let dir = AllianceDirectory(self.dir ?? "")
        let ca = try PEMFiles.readCertificate(path: dir.caCertificatePath)
        let revocations = FileManager.default.fileExists(atPath: dir.revocationListPath) ? try dir.loadRevocationList() : nil
        if let member {
            let id = try MemberID(member)
            let path = dir.memberCertificatePath(id)
            let certificate = try PEMFiles.readCertificate(path: path)
            let identity: PeerIdentity
            do {
                identity = try PeerIdentity(certificate: certificate)
            } catch {
                throw PKIError.malformedFile(path: path, reason: error.description)
            }
            print("member \(identity.memberID)")
            print("  role          \(identity.role)")
            print("  serial        \(identity.serialHex)")
            print("  sha256        \(identity.fingerprintSHA256)")
            print("  issuer        \(certificate.issuer)")
            print("  valid         \(ISO8601.format(seconds: Int64(certificate.notValidBefore.timeIntervalSince1970))) to \(ISO8601.format(seconds: Int64(certificate.notValidAfter.timeIntervalSince1970))) (\(Self.daysLeft(certificate)))")
            print("  names         \(Self.subjectAlternativeNames(of: certificate).joined(separator: ", "))")
            print("  status        \(Self.status(of: certificate, identity: identity, revocations: revocations))")
            print("  files         \(dir.memberDirectory(id))/{cert.pem,key.pem,ca.pem}")
            return
        }
        print("alliance CA \(ca.subject)")
        print("  serial        \(CertificateSerial.hex(of: ca.serialNumber))")
        print("  sha256        \(CertificateSerial.fingerprintSHA256(der: try CertificateSerial.derBytes(of: ca)))")
        print("  valid until   \(ISO8601.format(seconds: Int64(ca.notValidAfter.timeIntervalSince1970))) (\(Self.daysLeft(ca)))")
        if let data = try? KeyFile.readSecret(path: dir.tokenKeyPath),
            let tokenKey = try? JSONDecoder().decode(AllianceTokenKey.self, from: data)
        {
            print("  token key     \(tokenKey.scheme.rawValue) epoch \(tokenKey.epoch), fingerprint \(tokenKey.fingerprint)")
        } else {
            print("  token key     (unreadable or missing: \(dir.tokenKeyPath))")
        }
        if let revocations {
            print("  revoked.json  \(revocations.serials.count) serial(s), issued \(revocations.issued), signature valid")
        } else {
            print("  revoked.json  missing")
        }
        let members = try dir.members()
        print("members (\(members.count))")
        for record in members {
            let id = record.identity.memberID.rawValue.padding(toLength: max(12, record.identity.memberID.rawValue.count), withPad: " ", startingAt: 0)
            let role = record.identity.role.rawValue.padding(toLength: 11, withPad: " ", startingAt: 0)
            print("  \(id) \(role) serial \(record.identity.serialHex)  until \(ISO8601.format(seconds: Int64(record.certificate.notValidAfter.timeIntervalSince1970))) (\(Self.daysLeft(record.certificate)))  \(Self.status(of: record.certificate, identity: record.identity, revocations: revocations))")
        }
    }

    /// `730 days left`, or `expired 3 days ago`.
    static func daysLeft(_ certificate: Certificate, now: Date = Date()) -> String {
        let days = Int((certificate.notValidAfter.timeIntervalSince(now) / 86_400).rounded(.down))
        return days < 0 ? "expired \(-days) days ago" : "\(days) days left"
    }

    static func status(of certificate: Certificate, identity: PeerIdentity, revocations: RevocationList?) -> String {
        if revocations?.contains(serialHex: identity.serialHex) == true { return "REVOKED" }
        if certificate.notValidAfter < Date() { return "EXPIRED" }
        return "valid"
    }

    static func subjectAlternativeNames(of certificate: Certificate) -> [String] {
        guard let names = try? certificate.extensions.subjectAlternativeNames else { return [] }
        return names.map { name in
            switch name {
            case .uniformResourceIdentifier(let uri): "URI:\(uri)"
            case .dnsName(let dns): "DNS:\(dns)"
            case .ipAddress(let octets): "IP:\(IPAddressBytes.format(octets.bytes) ?? "?")"
            default: "\(name)"
            }
        }
    }
}
