import Crypto
import ExchangeCrypto

/// One line of the audit log, as written and as read back.
///
/// `hash` is SHA-256 over a canonical binary encoding of every other field (see
/// ``canonicalBytes``), including `prev`, the previous record's `hash` (32 zero bytes for the first
/// record). Changing any field of any record therefore changes its hash and breaks the link from
/// the next record; the JSON text itself must also be exactly the canonical rendering
/// (``AuditRecordCodec``), so even an edit that would not change a parsed value is caught.
public struct AuditRecord: Sendable, Equatable {
    public let seq: UInt64
    /// UTC, millisecond precision: `2026-11-23T19:49:00.123Z`.
    public let time: String
    public let actor: String
    public let role: AuditRole
    public let action: String
    public let outcome: AuditOutcome
    public let detail: [String: String]
    /// The previous record's hash (32 bytes).
    public let prev: [UInt8]
    /// This record's hash (32 bytes).
    public let hash: [UInt8]

    public var prevHex: String { Hex.encode(prev) }
    public var hashHex: String { Hex.encode(hash) }
    public var isCheckpoint: Bool { action == AuditAction.checkpoint.rawValue }

    /// The `prev` of the first record: 32 zero bytes.
    public static let zeroHash = [UInt8](repeating: 0, count: 32)

    /// Builds a record and computes its hash.
    init(seq: UInt64, time: String, actor: String, role: AuditRole, action: String, outcome: AuditOutcome,
         detail: [String: String], prev: [UInt8]) {
        self.seq = seq
        self.time = time
        self.actor = actor
        self.role = role
        self.action = action
        self.outcome = outcome
        self.detail = detail
        self.prev = prev
        self.hash = Self.computeHash(seq: seq, time: time, actor: actor, role: role, action: action,
                                     outcome: outcome, detail: detail, prev: prev)
    }

    /// A record as read from disk, with the hash it claims (not recomputed).
    init(seq: UInt64, time: String, actor: String, role: AuditRole, action: String, outcome: AuditOutcome,
         detail: [String: String], prev: [UInt8], claimedHash: [UInt8]) {
        self.seq = seq
        self.time = time
        self.actor = actor
        self.role = role
        self.action = action
        self.outcome = outcome
        self.detail = detail
        self.prev = prev
        self.hash = claimedHash
    }

    /// Whether the stored hash is the hash of the stored fields.
    var hashIsConsistent: Bool {
        hash == Self.computeHash(seq: seq, time: time, actor: actor, role: role, action: action,
                                 outcome: outcome, detail: detail, prev: prev)
    }

    /// Detail keys in canonical order (by UTF-8 bytes), used by both the hash and the JSON line.
    package static func sortedDetail(_ detail: [String: String]) -> [(key: String, value: String)] {
        detail.sorted { Array($0.key.utf8).lexicographicallyPrecedes(Array($1.key.utf8)) }
    }

    /// The bytes that are hashed: a domain tag, the sequence number (8 bytes big-endian), each text
    /// field as a 4-byte big-endian length and its UTF-8 bytes, the number of detail pairs, each
    /// pair (sorted by key) length-prefixed the same way, and the previous hash.
    static func canonicalBytes(seq: UInt64, time: String, actor: String, role: AuditRole, action: String,
                               outcome: AuditOutcome, detail: [String: String], prev: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(256)
        out.append(contentsOf: Array("exchange-node/audit/record/v1".utf8))
        appendU64(seq, to: &out)
        for field in [time, actor, role.rawValue, action, outcome.rawValue] { appendField(field, to: &out) }
        let pairs = sortedDetail(detail)
        appendU32(UInt32(pairs.count), to: &out)
        for pair in pairs {
            appendField(pair.key, to: &out)
            appendField(pair.value, to: &out)
        }
        out.append(contentsOf: prev)
        return out
    }

    static func computeHash(seq: UInt64, time: String, actor: String, role: AuditRole, action: String,
                            outcome: AuditOutcome, detail: [String: String], prev: [UInt8]) -> [UInt8] {
        Array(SHA256.hash(data: canonicalBytes(seq: seq, time: time, actor: actor, role: role, action: action,
                                               outcome: outcome, detail: detail, prev: prev)))
    }

    private static func appendField(_ text: String, to out: inout [UInt8]) {
        let bytes = Array(text.utf8)
        appendU32(UInt32(bytes.count), to: &out)
        out.append(contentsOf: bytes)
    }

    private static func appendU32(_ value: UInt32, to out: inout [UInt8]) {
        for shift in stride(from: 24, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: value >> UInt32(shift))) }
    }

    static func appendU64(_ value: UInt64, to out: inout [UInt8]) {
        for shift in stride(from: 56, through: 0, by: -8) { out.append(UInt8(truncatingIfNeeded: value >> UInt64(shift))) }
    }
}
