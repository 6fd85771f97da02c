import Crypto
import ExchangeCrypto
import ExchangeProtocol
import ExchangeRuntime
import Foundation

/// `HOME/audit/head`: the sequence number and hash of the last record known to be on disk, signed
/// by the node key and replaced atomically on every `flush()`, checkpoint and close.
///
/// A hash chain cannot show that records were cut off its end; the head can, up to the point it
/// was last written: a log that ends before the head's `seq`, or holds a different record there,
/// was truncated or rewritten. One JSON line:
/// `{"seq":N,"hash":"<hex>","time":"...","key":"<fingerprint>","signature":"<base64 DER>"}`.
struct AuditHead: Sendable, Equatable, Codable {
    var seq: UInt64
    var hash: String
    var time: String
    var key: String
    var signature: String

    static let fileName = "head"

    static func signed(seq: UInt64, hash: [UInt8], key: P256.Signing.PrivateKey) throws(AuditError) -> AuditHead {
        AuditHead(seq: seq, hash: Hex.encode(hash), time: ISO8601.format(millis: NodeClock.nowMillis()),
                  key: AuditSigning.fingerprint(key.publicKey),
                  signature: try AuditSigning.sign(AuditSigning.headMessage(seq: seq, hash: hash), with: key))
    }

    var hashBytes: [UInt8]? {
        guard let bytes = Hex.decode(Array(hash.utf8)), bytes.count == 32 else { return nil }
        return bytes
    }

    func isValid(for key: P256.Signing.PublicKey) -> Bool {
        guard let bytes = hashBytes else { return false }
        return AuditSigning.isValid(signature: signature, for: AuditSigning.headMessage(seq: seq, hash: bytes), key: key)
    }

    /// What reading the head file found.
    enum ReadResult: Sendable, Equatable {
        case missing
        case unreadable
        case found(AuditHead)
    }

    static func read(directory: String) -> ReadResult {
        let path = directory + "/" + fileName
        guard AuditFile.exists(path) else { return .missing }
        guard let data = FileManager.default.contents(atPath: path),
              let head = try? JSONDecoder().decode(AuditHead.self, from: data),
              head.hashBytes != nil
        else { return .unreadable }
        return .found(head)
    }

    func write(directory: String) throws(AuditError) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(self) else {
            throw .cannotWrite(path: directory + "/" + Self.fileName, reason: "cannot encode head")
        }
        try AuditFile.replaceAtomically(directory + "/" + Self.fileName, with: Array(data) + [0x0a], directory: directory)
    }
}
