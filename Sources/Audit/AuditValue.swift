import ExchangeCrypto

/// One value in an audit record's `detail`, typed so that callers state what they put there.
///
/// Audit records never carry subject identifiers (phone numbers, ID numbers, card numbers, e-mail
/// addresses, ...). Pass counts, sequence numbers, durations, codes, member ids, entry ids and
/// digests only. `AuditDetailGuard` re-checks every value at append time as a backstop and
/// redacts anything shaped like an identifier.
public enum AuditValue: Sendable, Equatable {
    /// A number of things (entries, matches, bytes).
    case count(Int)
    /// A sequence number (feed position, batch number).
    case seq(UInt64)
    /// A duration in milliseconds.
    case millis(Int)
    /// A short code from a fixed vocabulary: a reason, a status, a category, a measure (`bad-signature`, `M3`).
    case code(String)
    /// An alliance member id, as named in its certificate.
    case member(String)
    /// An entry, batch, appeal or certificate id assigned by the node or the CA (never an identifier).
    case id(String)
    /// A yes/no fact.
    case flag(Bool)
    /// A digest (for example the SHA-256 of an imported file), shown as lower-case hex.
    case digest([UInt8])

    /// The text stored in the record.
    public var rendered: String {
        switch self {
        case .count(let value): String(value)
        case .seq(let value): String(value)
        case .millis(let value): String(value)
        case .code(let value): value
        case .member(let value): value
        case .id(let value): value
        case .flag(let value): value ? "true" : "false"
        case .digest(let bytes): Hex.encode(bytes)
        }
    }
}
