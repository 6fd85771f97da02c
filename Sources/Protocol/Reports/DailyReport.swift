import Crypto
import Foundation

/// One member's counters for one day, as a node sends them to the coordinator (`POST /v1/reports`):
///
/// ```json
/// {"member":"gamma-pay","day":"2026-08-01","counters":{"matches":6,"screened":7},"signature":"<base64 DER>"}
/// ```
///
/// The signature is ECDSA P-256 / SHA-256 by the node key (the key of the certificate the node
/// presents on the TLS connection) over ``canonicalBytes(member:day:counters:)``, which does not
/// depend on JSON formatting or key order. Counts only: the counter names are a fixed vocabulary
/// (docs/coordinator.md) and the values non-negative integers.
public struct DailyReport: Sendable, Equatable {
    public let member: String
    /// `YYYY-MM-DD`.
    public let day: String
    public let counters: [String: Int]
    /// DER-encoded ECDSA signature.
    public let signature: Data

    public init(member: String, day: String, counters: [String: Int], signature: Data) {
        self.member = member
        self.day = day
        self.counters = counters
        self.signature = signature
    }

    /// The signed bytes: `"exchange-node/report/v1\n" + "member " + member + "\n" + "day " + day + "\n"`,
    /// then `key + " " + decimal value + "\n"` for each counter in ascending byte order of the key.
    public static func canonicalBytes(member: String, day: String, counters: [String: Int]) -> [UInt8] {
        var text = "exchange-node/report/v1\nmember \(member)\nday \(day)\n"
        for key in counters.keys.sorted(by: { Array($0.utf8).lexicographicallyPrecedes(Array($1.utf8)) }) {
            text += "\(key) \(counters[key]!)\n"
        }
        return Array(text.utf8)
    }

    public var canonicalBytes: [UInt8] { Self.canonicalBytes(member: member, day: day, counters: counters) }

    /// Signs a day's counters with the node key.
    public static func signed(member: String, day: String, counters: [String: Int],
                              key: P256.Signing.PrivateKey) throws -> DailyReport {
        let bytes = canonicalBytes(member: member, day: day, counters: counters)
        let signature = try key.signature(for: bytes).derRepresentation
        return DailyReport(member: member, day: day, counters: counters, signature: signature)
    }

    /// Whether the signature verifies with `publicKey`.
    public func isSigned(by publicKey: P256.Signing.PublicKey) -> Bool {
        guard let signature = try? P256.Signing.ECDSASignature(derRepresentation: signature) else { return false }
        return publicKey.isValidSignature(signature, for: canonicalBytes)
    }

    /// SHA-256 of the canonical bytes (without the signature): what a node remembers having sent.
    public var contentDigest: [UInt8] { Array(SHA256.hash(data: canonicalBytes)) }
}

extension DailyReport: Codable {
    package enum CodingKeys: String, CodingKey, CaseIterable {
        case member, day, counters, signature
    }

    /// Decodes strictly: exactly the four fields, a base64 signature, integer counter values.
    public init(from decoder: any Decoder) throws {
        let any = try decoder.container(keyedBy: AnyCodingKey.self)
        let expected = Set(CodingKeys.allCases.map(\.rawValue))
        if let extra = any.allKeys.first(where: { !expected.contains($0.stringValue) }) {
            throw DecodingError.dataCorrupted(.init(codingPath: [extra], debugDescription: "unexpected field"))
        }
        let c = try decoder.container(keyedBy: CodingKeys.self)
        member = try c.decode(String.self, forKey: .member)
        day = try c.decode(String.self, forKey: .day)
        counters = try c.decode([String: Int].self, forKey: .counters)
        let text = try c.decode(String.self, forKey: .signature)
        guard let signature = Data(base64Encoded: text) else {
            throw DecodingError.dataCorruptedError(forKey: .signature, in: c, debugDescription: "not base64")
        }
        self.signature = signature
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(member, forKey: .member)
        try c.encode(day, forKey: .day)
        try c.encode(counters, forKey: .counters)
        try c.encode(signature.base64EncodedString(), forKey: .signature)
    }

    /// Sorted-key JSON, as nodes send it.
    public func jsonBytes() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return Array(try encoder.encode(self))
    }
}
