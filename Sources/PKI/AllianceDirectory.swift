import ExchangeCrypto
import ExchangeProtocol
import Foundation
import X509

/// The folder the alliance operator keeps the CA in, as the `certs` commands write it:
///
/// ```
/// DIR/ca.pem                   the CA certificate
/// DIR/ca.key.pem               the CA private key (0600)
/// DIR/token-key.json           the alliance keyed-hash token key, epoch 1 (0600)
/// DIR/revoked.json             the CA-signed revocation list
/// DIR/members/<ID>/cert.pem    a member's certificate
/// DIR/members/<ID>/key.pem     its private key (0600)
/// DIR/members/<ID>/ca.pem      a copy of the CA certificate: the folder is all a member needs
/// ```
public struct AllianceDirectory: Sendable {
    public let root: String

    public init(_ root: String) {
        self.root = URL(fileURLWithPath: root).standardizedFileURL.path
    }

    public var caCertificatePath: String { root + "/ca.pem" }
    public var caKeyPath: String { root + "/ca.key.pem" }
    public var tokenKeyPath: String { root + "/token-key.json" }
    public var revocationListPath: String { root + "/revoked.json" }
    public var membersPath: String { root + "/members" }

    public func memberDirectory(_ id: MemberID) -> String { membersPath + "/" + id.rawValue }
    public func memberCertificatePath(_ id: MemberID) -> String { memberDirectory(id) + "/cert.pem" }
    public func memberKeyPath(_ id: MemberID) -> String { memberDirectory(id) + "/key.pem" }
    public func memberCAPath(_ id: MemberID) -> String { memberDirectory(id) + "/ca.pem" }

    /// Creates the CA, the token key (epoch 1) and an empty signed revocation list. Refuses to
    /// replace an existing CA, token key or revocation list unless `force` is set.
    public func initialise(allianceName: String, force: Bool = false, now: Date = Date()) throws(PKIError) -> AllianceInitialisation {
        if !force {
            for path in [caCertificatePath, caKeyPath, tokenKeyPath, revocationListPath]
            where FileManager.default.fileExists(atPath: path) {
                throw .alreadyExists(
                    path: path,
                    hint: "pass --force to replace the CA, token key and revocation list (every member certificate must then be re-issued)"
                )
            }
        }
        try Self.createPrivateDirectory(root)
        let ca = try AllianceCA.create(allianceName: allianceName, now: now)
        try KeyFile.writePrivateKey(ca.privateKey, path: caKeyPath)
        try PEMFiles.writeCertificate(ca.certificate, path: caCertificatePath)

        let tokenKey = AllianceTokenKey.generate(epoch: 1, created: ISO8601.format(seconds: Int64(now.timeIntervalSince1970)))
        try TokenKeyFile.write(tokenKey, to: URL(fileURLWithPath: tokenKeyPath))

        let revocations = try RevocationList.signed(serials: [], by: ca, now: now)
        try revocations.write(path: revocationListPath)

        return AllianceInitialisation(
            directory: self,
            caSubject: ca.subjectDescription,
            caSerialHex: CertificateSerial.hex(of: ca.certificate.serialNumber),
            caFingerprintSHA256: CertificateSerial.fingerprintSHA256(der: try CertificateSerial.derBytes(of: ca.certificate)),
            caNotValidAfter: ca.certificate.notValidAfter,
            tokenKeyEpoch: tokenKey.epoch,
            tokenKeyFingerprint: tokenKey.fingerprint
        )
    }

    /// Loads the CA (the key file must be mode 0600).
    public func loadCA() throws(PKIError) -> AllianceCA {
        try AllianceCA.load(certificatePath: caCertificatePath, keyPath: caKeyPath)
    }

    /// Loads `revoked.json`, verified against `ca.pem`.
    public func loadRevocationList() throws(PKIError) -> RevocationList {
        try RevocationList.load(path: revocationListPath, caCertificate: try PEMFiles.readCertificate(path: caCertificatePath))
    }

    /// Issues a member certificate and writes the member folder. Refuses to replace an existing
    /// member certificate unless `force` is set (the replaced serial is reported, not revoked).
    public func issue(_ request: MemberCertificateRequest, force: Bool = false, now: Date = Date(),
                      validity: DateInterval? = nil) throws(PKIError) -> MemberIssuance {
        let ca = try loadCA()
        let certificatePath = memberCertificatePath(request.memberID)
        var replacedSerialHex: String?
        if FileManager.default.fileExists(atPath: certificatePath) {
            guard force else {
                throw .alreadyExists(
                    path: certificatePath,
                    hint: "pass --force to re-issue (then consider `certs revoke --serial` for the old certificate)"
                )
            }
            replacedSerialHex = (try? PEMFiles.readCertificate(path: certificatePath)).map { CertificateSerial.hex(of: $0.serialNumber) }
        }
        let issued = try ca.issueMemberCertificate(request, now: now, validity: validity)
        try Self.createPrivateDirectory(membersPath)
        try Self.createPrivateDirectory(memberDirectory(request.memberID))
        try KeyFile.writePrivateKey(issued.privateKey, path: memberKeyPath(request.memberID))
        try PEMFiles.writeCertificate(issued.certificate, path: certificatePath)
        try PEMFiles.writeCertificate(ca.certificate, path: memberCAPath(request.memberID))
        return MemberIssuance(directory: self, request: request, issued: issued, replacedSerialHex: replacedSerialHex)
    }

    /// Renews a member's certificate for the **same key**: same member id, role, DNS names and IP
    /// addresses, a new serial and validity (`years`, or `validity` for tests). The member's events are
    /// verified, by peers that re-pull them, with the key in the certificate that comes with them, so the
    /// key must not change. The previous certificate is kept as `members/ID/previous/cert-SERIAL.pem` and is
    /// not revoked.
    public func renew(member id: MemberID, years: Int = MemberCertificateRequest.defaultValidityYears, now: Date = Date(),
                      validity: DateInterval? = nil) throws(PKIError) -> MemberRenewal {
        let ca = try loadCA()
        let path = memberCertificatePath(id)
        let current = try PEMFiles.readCertificate(path: path)
        let identity: PeerIdentity
        do {
            identity = try PeerIdentity(certificate: current)
        } catch {
            throw .malformedFile(path: path, reason: error.description)
        }
        guard identity.memberID == id else {
            throw .malformedFile(path: path, reason: "it is the certificate of \(identity.memberID), not \(id)")
        }
        var dnsNames: [String] = []
        var ipAddresses: [String] = []
        for name in (try? current.extensions.subjectAlternativeNames) ?? SubjectAlternativeNames([]) {
            switch name {
            case .dnsName(let dns): dnsNames.append(dns)
            case .ipAddress(let octets): if let text = IPAddressBytes.format(octets.bytes) { ipAddresses.append(text) }
            default: break
            }
        }
        let request = try MemberCertificateRequest(memberID: id, role: identity.role, dnsNames: dnsNames, ipAddresses: ipAddresses,
                                                   validityYears: years)
        let renewed = try ca.signMemberCertificate(request, publicKey: current.publicKey, now: now, validity: validity)
        let previousDirectory = memberDirectory(id) + "/previous"
        try Self.createPrivateDirectory(previousDirectory)
        let previousPath = previousDirectory + "/cert-\(identity.serialHex).pem"
        try PEMFiles.writeCertificate(current, path: previousPath)
        try PEMFiles.writeCertificate(renewed, path: path)
        try PEMFiles.writeCertificate(ca.certificate, path: memberCAPath(id))
        return MemberRenewal(memberID: id, certificate: renewed, serialHex: CertificateSerial.hex(of: renewed.serialNumber),
                             previousSerialHex: identity.serialHex, certificatePath: path, previousPath: previousPath)
    }

    /// Adds the serial of a member's current certificate to the revocation list and re-signs it.
    public func revoke(member id: MemberID, now: Date = Date()) throws(PKIError) -> Revocation {
        let certificate = try PEMFiles.readCertificate(path: memberCertificatePath(id))
        return try revoke(serialHex: CertificateSerial.hex(of: certificate.serialNumber), now: now)
    }

    /// Adds a serial (any hex form) to the revocation list and re-signs it. A missing list is
    /// started afresh; a list whose signature fails is refused, never silently replaced.
    public func revoke(serialHex: String, now: Date = Date()) throws(PKIError) -> Revocation {
        let serial = try CertificateSerial.normalise(serialHex)
        let ca = try loadCA()
        let existing: [String]
        if FileManager.default.fileExists(atPath: revocationListPath) {
            existing = try RevocationList.load(path: revocationListPath, caCertificate: ca.certificate).serials
        } else {
            existing = []
        }
        let alreadyRevoked = existing.contains(serial)
        let list = try RevocationList.signed(serials: existing + [serial], by: ca, now: now)
        try list.write(path: revocationListPath)
        return Revocation(serialHex: serial, alreadyRevoked: alreadyRevoked, list: list, path: revocationListPath)
    }

    /// The member folders that hold a readable certificate, sorted by member id.
    public func members() throws(PKIError) -> [MemberRecord] {
        let names: [String]
        do {
            names = try FileManager.default.contentsOfDirectory(atPath: membersPath)
        } catch {
            return []
        }
        var records = [MemberRecord]()
        for name in names.sorted() {
            guard let id = try? MemberID(name) else { continue }
            let path = memberCertificatePath(id)
            guard FileManager.default.fileExists(atPath: path) else { continue }
            let certificate = try PEMFiles.readCertificate(path: path)
            let identity: PeerIdentity
            do {
                identity = try PeerIdentity(certificate: certificate)
            } catch {
                throw .malformedFile(path: path, reason: error.description)
            }
            records.append(MemberRecord(identity: identity, certificate: certificate, certificatePath: path))
        }
        return records
    }

    static func createPrivateDirectory(_ path: String) throws(PKIError) {
        do {
            try FileManager.default.createDirectory(
                atPath: path,
                withIntermediateDirectories: true,
                attributes: [.posixPermissions: 0o700]
            )
        } catch {
            throw .fileSystem(path: path, reason: "cannot create directory")
        }
    }
}

extension AllianceCA {
    /// Loads the CA from a directory written by `certs init` (`ca.pem`, `ca.key.pem` with mode 0600).
    public static func load(directory: String) throws(PKIError) -> AllianceCA {
        try AllianceDirectory(directory).loadCA()
    }
}
