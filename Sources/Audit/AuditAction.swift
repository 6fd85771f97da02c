/// The name of an audited action: short lower-case dotted words (`sync.pull`, `appeal.file`).
///
/// The constants below are the vocabulary the node uses; a caller may add its own name as long as
/// it matches `[a-z][a-z0-9._-]{0,47}` (anything else is recorded as `invalid-action`). The names
/// `checkpoint` and `audit.recovered` are reserved for the log itself: `AuditLog.append` drops an
/// event that claims them.
public struct AuditAction: RawRepresentable, Hashable, Sendable, ExpressibleByStringLiteral, CustomStringConvertible {
    public let rawValue: String

    public init(rawValue: String) { self.rawValue = rawValue }
    public init(stringLiteral value: String) { rawValue = value }
    public var description: String { rawValue }

    // Exchange
    public static let syncServe: AuditAction = "sync.serve"
    public static let syncPull: AuditAction = "sync.pull"
    public static let publish: AuditAction = "publish"
    // Own list
    public static let importEntries: AuditAction = "import"
    public static let revoke: AuditAction = "revoke"
    public static let screen: AuditAction = "screen"
    public static let screenBatch: AuditAction = "screen.batch"
    // Appeals
    public static let appealFile: AuditAction = "appeal.file"
    public static let appealDecide: AuditAction = "appeal.decide"
    // Membership and PKI
    public static let certificateIssue: AuditAction = "cert.issue"
    public static let certificateRevoke: AuditAction = "cert.revoke"
    public static let certificateRenew: AuditAction = "cert.renew"
    public static let peerAdd: AuditAction = "peer.add"
    public static let peerRemove: AuditAction = "peer.remove"
    public static let peerChange: AuditAction = "peer.change"
    // Coordinator
    public static let statisticsReport: AuditAction = "stats.report"
    // Anything refused before it could be classified (TLS, authentication, unknown route).
    public static let request: AuditAction = "request"

    // Reserved for the log itself.
    public static let checkpoint: AuditAction = "checkpoint"
    public static let recovered: AuditAction = "audit.recovered"

    /// Actions only `AuditLog` may write.
    public static let reserved: Set<AuditAction> = [.checkpoint, .recovered]

    /// Whether the name has the allowed shape.
    public var isWellFormed: Bool {
        let bytes = Array(rawValue.utf8)
        guard let first = bytes.first, bytes.count <= 48, first >= UInt8(ascii: "a"), first <= UInt8(ascii: "z") else {
            return false
        }
        return bytes.allSatisfy { byte in
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9"))
                || byte == UInt8(ascii: ".") || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }
    }
}
