import Crypto
import ExchangeProtocol
import Foundation
import X509

/// The CA-signed list of revoked certificate serials, stored as `revoked.json`:
/// `{"issued":"<ISO 8601>","serials":["<hex>",...],"signature":"<base64 DER ECDSA P-256 SHA-256>"}`.
///
/// The signature covers ``canonicalEncoding(issued:serials:)``, which does not depend on JSON
/// formatting or on the order of `serials`. A list is only ever constructed by signing it with
/// the CA or by loading it and verifying its signature against the CA certificate.
public struct RevocationList: Sendable, Equatable {
    /// When the CA signed this list (ISO 8601, UTC, exactly as signed).
    public let issued: String
    /// Revoked serials in canonical hex (see ``CertificateSerial``), sorted.
    public let serials: [String]
    /// DER-encoded ECDSA signature by the CA key.
    public let signature: Data
    private let serialSet: Set<String>

    private init(issued: String, serials: Set<String>, signature: Data) {
        self.issued = issued
        self.serials = serials.sorted()
        self.signature = signature
        self.serialSet = serials
    }

    /// Whether a certificate serial (canonical hex) is revoked.
    public func contains(serialHex: String) -> Bool { serialSet.contains(serialHex) }

    /// `issued` as a date (nil if it does not parse).
    public var issuedDate: Date? { ISO8601.parse(issued).map { Date(timeIntervalSince1970: Double($0) / 1000) } }

    /// The bytes the CA signs:
    /// `"exchange-node revocation list v1\n" + "issued " + issued + "\n"` followed by
    /// `"serial " + hex + "\n"` for each serial in ascending order.
    public static func canonicalEncoding(issued: String, serials: some Sequence<String>) -> Data {
        var text = "exchange-node revocation list v1\nissued \(issued)\n"
        for serial in Set(serials).sorted() { text += "serial \(serial)\n" }
        return Data(text.utf8)
    }

    /// Signs a list of serials (each normalised) with the CA key.
    public static func signed(
        serials: some Sequence<String>,
        by ca: AllianceCA,
        now: Date = Date()
    ) throws(PKIError) -> RevocationList {
        var set = Set<String>()
        for serial in serials { set.insert(try CertificateSerial.normalise(serial)) }
        let issued = ISO8601.format(seconds: Int64(now.timeIntervalSince1970))
        let signature = try ca.sign(canonicalEncoding(issued: issued, serials: set))
        return RevocationList(issued: issued, serials: set, signature: signature)
    }

    /// A new list with `serialHex` added, re-signed now.
    public func adding(serialHex: String, by ca: AllianceCA, now: Date = Date()) throws(PKIError) -> RevocationList {
        try Self.signed(serials: serials + [serialHex], by: ca, now: now)
    }

    /// Reads `path` and verifies its signature against `caCertificate`; refuses a file that was
    /// altered, signed by another CA, or holds a serial that is not canonical hex.
    public static func load(path: String, caCertificate: Certificate) throws(PKIError) -> RevocationList {
        let data = try KeyFile.read(path: path)
        let file: FileFormat
        do {
            file = try JSONDecoder().decode(FileFormat.self, from: data)
        } catch {
            throw .malformedFile(path: path, reason: "not a revocation list (expected issued, serials, signature)")
        }
        var set = Set<String>()
        for (index, serial) in file.serials.enumerated() {
            guard let canonical = try? CertificateSerial.normalise(serial), canonical == serial else {
                throw .malformedFile(path: path, reason: "serials[\(index)] is not canonical lower-case hex")
            }
            set.insert(serial)
        }
        guard let signature = Data(base64Encoded: file.signature) else {
            throw .malformedFile(path: path, reason: "signature is not base64")
        }
        let list = RevocationList(issued: file.issued, serials: set, signature: signature)
        guard list.hasValidSignature(caCertificate: caCertificate) else {
            throw .revocationListSignatureInvalid(path: path)
        }
        return list
    }

    /// Whether the signature verifies against the CA certificate's public key.
    public func hasValidSignature(caCertificate: Certificate) -> Bool {
        guard let key = P256.Signing.PublicKey(caCertificate.publicKey),
            let ecdsa = try? P256.Signing.ECDSASignature(derRepresentation: signature)
        else { return false }
        return key.isValidSignature(ecdsa, for: Self.canonicalEncoding(issued: issued, serials: serials))
    }

    /// Writes the list as JSON (mode 0644, atomically).
    public func write(path: String) throws(PKIError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data: Data
        do {
            data = try encoder.encode(FileFormat(issued: issued, serials: serials, signature: signature.base64EncodedString()))
        } catch {
            throw .fileSystem(path: path, reason: "cannot encode revocation list")
        }
        try KeyFile.write(data + Data("\n".utf8), path: path, mode: 0o644)
    }

    private struct FileFormat: Codable {
        var issued: String
        var serials: [String]
        var signature: String
    }
}
