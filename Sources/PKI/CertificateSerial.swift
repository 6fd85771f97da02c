import Crypto
import ExchangeCrypto
import Foundation
import SwiftASN1
import X509

/// Certificate serial numbers and fingerprints as the alliance writes and compares them:
/// lower-case hex, no separators, no leading zero bytes.
public enum CertificateSerial {
    /// A fresh random 16-byte serial. The first byte is forced into 0x40...0x7f so the DER
    /// INTEGER is positive and exactly 16 bytes long (126 random bits).
    static func random() -> Certificate.SerialNumber {
        var bytes = (0..<16).map { _ in UInt8.random(in: 0...255) }
        bytes[0] = (bytes[0] & 0x3f) | 0x40
        return Certificate.SerialNumber(bytes: bytes)
    }

    /// The canonical hex form of a certificate's serial.
    public static func hex(of serial: Certificate.SerialNumber) -> String {
        hex(stripLeadingZeros(Array(serial.bytes)))
    }

    /// Normalises a serial typed by a person (`0x` prefix, colons, upper case, leading zeros
    /// allowed) to the canonical form; throws if it is not hex.
    public static func normalise(_ text: String) throws(PKIError) -> String {
        var digits = text.trimmingCharacters(in: .whitespaces).lowercased().replacingOccurrences(of: ":", with: "")
        if digits.hasPrefix("0x") { digits.removeFirst(2) }
        guard !digits.isEmpty, digits.count <= 64, digits.allSatisfy(\.isHexDigit) else {
            throw .invalidArgument("serial must be 1-64 hexadecimal digits (colons allowed)")
        }
        if digits.count % 2 == 1 { digits = "0" + digits }
        var bytes = [UInt8]()
        var index = digits.startIndex
        while index < digits.endIndex {
            let next = digits.index(index, offsetBy: 2)
            bytes.append(UInt8(digits[index..<next], radix: 16)!)
            index = next
        }
        return hex(stripLeadingZeros(bytes))
    }

    /// SHA-256 of a certificate's DER encoding, lower-case hex (what `openssl x509 -fingerprint -sha256` shows, without colons).
    public static func fingerprintSHA256(der: some Sequence<UInt8>) -> String {
        hex(Array(SHA256.hash(data: Array(der))))
    }

    /// The DER encoding of a certificate.
    package static func derBytes(of certificate: Certificate) throws(PKIError) -> [UInt8] {
        do {
            var serializer = DER.Serializer()
            try serializer.serialize(certificate)
            return serializer.serializedBytes
        } catch {
            throw .certificateCreation(reason: "DER encoding failed (\(error))")
        }
    }

    static func hex(_ bytes: some Sequence<UInt8>) -> String { Hex.encode(bytes) }

    private static func stripLeadingZeros(_ bytes: [UInt8]) -> [UInt8] {
        let trimmed = bytes.drop(while: { $0 == 0 })
        return trimmed.isEmpty ? [0] : Array(trimmed)
    }
}
