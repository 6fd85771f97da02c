import AlliancePKI
import Crypto
import ExchangeCrypto
import ExchangeRuntime
import Foundation
import SwiftASN1
import X509

/// The secrets and certificates a node runs with, loaded from its home. Private key files must be
/// mode 0600 (the node refuses to start otherwise); nothing here is ever logged or sent.
public struct NodeKeys: Sendable {
    public let signingKey: P256.Signing.PrivateKey
    public let certificate: Certificate
    public let certificateDER: [UInt8]
    public let caCertificate: Certificate
    public let tokenKey: AllianceTokenKey
    public let sealKey: SymmetricKey
    /// The pairwise scheme's secret (`keys/ecdh.key`), when the alliance uses that scheme.
    public let pairwiseKey: PairwiseMaskingKey?

    public static func load(from home: NodeHome) throws(NodeError) -> NodeKeys {
        let keyPEM = String(decoding: try NodeError.files(SecureFile.readSecret(home.nodeKeyFile)), as: UTF8.self)
        let signingKey: P256.Signing.PrivateKey
        do {
            signingKey = try P256.Signing.PrivateKey(pemRepresentation: keyPEM)
        } catch {
            throw .fileUnreadable(home.nodeKeyFile.path, reason: "not a PEM P-256 private key")
        }
        let certificate = try loadCertificate(home.nodeCertificateFile)
        let ca = try loadCertificate(home.caCertificateFile)
        var serializer = DER.Serializer()
        do {
            try serializer.serialize(certificate)
        } catch {
            throw .fileUnreadable(home.nodeCertificateFile.path, reason: "cannot re-encode certificate")
        }
        let tokenKey = try loadTokenKey(home.tokenKeyFile)
        let sealKey = try loadOrCreateSealKey(home.sealKeyFile)
        let pairwiseKey = try PairwiseKeyFile.loadIfPresent(home.ecdhKeyFile)
        return NodeKeys(signingKey: signingKey, certificate: certificate, certificateDER: serializer.serializedBytes,
                        caCertificate: ca, tokenKey: tokenKey, sealKey: sealKey, pairwiseKey: pairwiseKey)
    }

    static func loadCertificate(_ url: URL) throws(NodeError) -> Certificate {
        let pem: String
        do {
            pem = try String(contentsOf: url, encoding: .utf8)
        } catch {
            throw .fileUnreadable(url.path, reason: "missing")
        }
        do {
            return try Certificate(pemEncoded: pem)
        } catch {
            throw .fileUnreadable(url.path, reason: "not a PEM certificate")
        }
    }

    package static func loadTokenKey(_ url: URL) throws(NodeError) -> AllianceTokenKey {
        do {
            return try TokenKeyFile.read(url)
        } catch {
            throw NodeError(error)
        }
    }

    static func loadOrCreateSealKey(_ url: URL) throws(NodeError) -> SymmetricKey {
        if FileManager.default.fileExists(atPath: url.path) {
            let data = try NodeError.files(SecureFile.readSecret(url))
            guard data.count == 32 else { throw .fileUnreadable(url.path, reason: "seal key must be 32 bytes") }
            return SymmetricKey(data: data)
        }
        let key = SymmetricKey(size: .bits256)
        try NodeError.files(SecureFile.writeAtomically(key.withUnsafeBytes { Data($0) }, to: url, mode: 0o600))
        return key
    }

    /// SHA-256 fingerprint (hex, first 16 bytes) of the node's public key: safe to display.
    public var signingKeyFingerprint: String {
        Hex.encode(SHA256.hash(data: signingKey.publicKey.derRepresentation).prefix(16))
    }

    public var tokenizer: KeyedHashTokenizer { KeyedHashTokenizer(key: tokenKey) }
}
