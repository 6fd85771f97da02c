import Crypto
import ExchangeCrypto
import Foundation

/// The node-key signatures in the audit log: checkpoints inside the log and the head file beside it.
///
/// - A checkpoint with sequence number `seq` signs `"exchange-node/audit/checkpoint/v1" ‖ seq (8 bytes
///   big-endian) ‖ prev (32 bytes)`, where `prev` is the hash of the record before it — which
///   commits to every earlier record through the chain.
/// - The head signs `"exchange-node/audit/head/v1" ‖ seq ‖ hash` of the last record made durable.
///
/// Signatures are ECDSA P-256 / SHA-256, DER, base64 in the files. Each names its key by
/// fingerprint: SHA-256 of the public key's DER (SubjectPublicKeyInfo), first 16 bytes, hex.
enum AuditSigning {
    static let algorithm = "ecdsa-p256-sha256"

    static func checkpointMessage(seq: UInt64, prev: [UInt8]) -> [UInt8] {
        var out = Array("exchange-node/audit/checkpoint/v1".utf8)
        AuditRecord.appendU64(seq, to: &out)
        out += prev
        return out
    }

    static func headMessage(seq: UInt64, hash: [UInt8]) -> [UInt8] {
        var out = Array("exchange-node/audit/head/v1".utf8)
        AuditRecord.appendU64(seq, to: &out)
        out += hash
        return out
    }

    static func fingerprint(_ key: P256.Signing.PublicKey) -> String {
        Hex.encode(SHA256.hash(data: key.derRepresentation).prefix(16))
    }

    /// Base64 of the DER signature.
    static func sign(_ message: [UInt8], with key: P256.Signing.PrivateKey) throws(AuditError) -> String {
        do {
            return try key.signature(for: message).derRepresentation.base64EncodedString()
        } catch {
            throw .badKey(path: "node key", reason: "cannot sign with the node key")
        }
    }

    static func isValid(signature base64: String, for message: [UInt8], key: P256.Signing.PublicKey) -> Bool {
        guard let der = Data(base64Encoded: base64),
              let signature = try? P256.Signing.ECDSASignature(derRepresentation: der)
        else { return false }
        return key.isValidSignature(signature, for: message)
    }

    /// The detail of a checkpoint record with sequence number `seq` following `prev`.
    static func checkpointDetail(seq: UInt64, prev: [UInt8], key: P256.Signing.PrivateKey, reason: String,
                                 recordsSinceLast: Int) throws(AuditError) -> [String: String] {
        [
            "alg": algorithm,
            "key": fingerprint(key.publicKey),
            "reason": reason,
            "records": String(recordsSinceLast),
            "signature": try sign(checkpointMessage(seq: seq, prev: prev), with: key),
        ]
    }
}
