import Crypto

/// One change to one entry (publish, amend or revoke), as its origin node signs it and peers
/// store it. Carries tokens and metadata, never an identifier.
///
/// An event's identity is the SHA-256 of its canonical encoding (``canonicalBytes``); that
/// digest is what a ``SignedBatch`` signs, so each event stays verifiable on its own.
public struct EntryEvent: Sendable, Equatable {
    public var origin: String
    /// Per-origin sequence number, strictly increasing, assigned by the origin.
    public var seq: UInt64
    public var entryID: String
    /// Bumped each time the origin re-imports or revokes the entry.
    public var version: UInt32
    public var status: EntryStatus
    public var revocationReason: RevocationReason?
    public var list: ListKind
    public var category: Category
    public var severity: Severity
    public var role: SubjectRole?
    public var listedOn: Day
    /// First day on which the entry no longer applies; nil for no expiry.
    public var expiresOn: Day?
    public var scheme: TokenSchemeDescriptor
    /// Sorted and de-duplicated.
    public var tokens: [Token]
    /// When the origin made the change (Unix milliseconds).
    public var changedAt: Int64

    public init(
        origin: String, seq: UInt64, entryID: String, version: UInt32, status: EntryStatus,
        revocationReason: RevocationReason?, list: ListKind, category: Category, severity: Severity,
        role: SubjectRole?, listedOn: Day, expiresOn: Day?, scheme: TokenSchemeDescriptor,
        tokens: [Token], changedAt: Int64
    ) {
        self.origin = origin
        self.seq = seq
        self.entryID = entryID
        self.version = version
        self.status = status
        self.revocationReason = revocationReason
        self.list = list
        self.category = category
        self.severity = severity
        self.role = role
        self.listedOn = listedOn
        self.expiresOn = expiresOn
        self.scheme = scheme
        self.tokens = Array(Set(tokens)).sorted()
        self.changedAt = changedAt
    }

    static let encodingVersion: UInt8 = 1

    /// The canonical encoding: what is hashed, signed, sent and stored.
    public func canonicalBytes() -> [UInt8] {
        var writer = ByteWriter(capacity: 96 + tokens.count * 32)
        writer.u8(Self.encodingVersion)
        writer.string(origin)
        writer.u64(seq)
        writer.string(entryID)
        writer.u32(version)
        writer.u8(status.code)
        writer.u8(revocationReason?.code ?? 0)
        writer.u8(list.code)
        writer.u8(category.code)
        writer.u8(UInt8(severity.rawValue))
        writer.u8(role?.code ?? 0)
        writer.i32(listedOn.ordinal)
        writer.u8(expiresOn == nil ? 0 : 1)
        writer.i32(expiresOn?.ordinal ?? 0)
        writer.u8(scheme.scheme.code)
        writer.u32(scheme.epoch)
        writer.u64(UInt64(bitPattern: changedAt))
        writer.varint(UInt64(tokens.count))
        for token in tokens { writer.token(token) }
        return writer.bytes
    }

    /// SHA-256 of ``canonicalBytes()``.
    public var digest: [UInt8] { Array(SHA256.hash(data: canonicalBytes())) }

    /// Decodes and validates a canonical encoding. Every field is range-checked; an all-zero
    /// token (the low-order X25519 result) is refused.
    public init(canonical bytes: [UInt8], limits: WireLimits = .default) throws(WireError) {
        var reader = ByteReader(bytes)
        let encoding = try reader.u8("event encoding")
        guard encoding == Self.encodingVersion else {
            throw .unsupportedVersion(Int(encoding), supported: 1...1)
        }
        origin = try reader.string("origin", limit: limits.maxNameBytes)
        try WireLimits.checkName(origin, field: "origin")
        seq = try reader.u64("seq")
        guard seq > 0 else { throw .malformed("seq must be positive") }
        guard seq <= WireLimits.maxSequence else { throw .malformed("seq exceeds 2^63-1") }
        entryID = try reader.string("entry_id", limit: limits.maxNameBytes)
        try WireLimits.checkName(entryID, field: "entry_id")
        version = try reader.u32("version")
        let statusCode = try reader.u8("status")
        guard let status = EntryStatus(code: statusCode) else { throw .unknownCode(field: "status", code: Int(statusCode)) }
        self.status = status
        let reasonCode = try reader.u8("revocation reason")
        if reasonCode == 0 {
            revocationReason = nil
        } else if let reason = RevocationReason(code: reasonCode) {
            revocationReason = reason
        } else {
            throw .unknownCode(field: "revocation reason", code: Int(reasonCode))
        }
        guard (status == .revoked) == (revocationReason != nil) else {
            throw .malformed("a revoked entry needs a reason and an active one has none")
        }
        let listCode = try reader.u8("list")
        guard let list = ListKind(code: listCode) else { throw .unknownCode(field: "list", code: Int(listCode)) }
        self.list = list
        let categoryCode = try reader.u8("category")
        guard let category = Category(code: categoryCode) else { throw .unknownCode(field: "category", code: Int(categoryCode)) }
        self.category = category
        let severityCode = try reader.u8("severity")
        guard let severity = Severity(rawValue: Int(severityCode)) else { throw .unknownCode(field: "severity", code: Int(severityCode)) }
        self.severity = severity
        let roleCode = try reader.u8("role")
        if roleCode == 0 {
            role = nil
        } else if let role = SubjectRole(code: roleCode) {
            self.role = role
        } else {
            throw .unknownCode(field: "role", code: Int(roleCode))
        }
        listedOn = Day(ordinal: try reader.i32("listed_on"))
        let hasExpiry = try reader.u8("expiry flag")
        let expiry = try reader.i32("expires_on")
        switch hasExpiry {
        case 0:
            // Canonical form: without an expiry the field is zero, so no two encodings mean the same event.
            guard expiry == 0 else { throw .malformed("expires_on must be zero when there is no expiry") }
            expiresOn = nil
        case 1: expiresOn = Day(ordinal: expiry)
        default: throw .malformed("expiry flag must be 0 or 1")
        }
        let schemeCode = try reader.u8("scheme")
        guard let scheme = TokenSchemeID(code: schemeCode) else { throw .unknownCode(field: "scheme", code: Int(schemeCode)) }
        self.scheme = TokenSchemeDescriptor(scheme: scheme, epoch: try reader.u32("epoch"))
        changedAt = Int64(bitPattern: try reader.u64("changed_at"))
        let count = try reader.varint("token count")
        guard count <= UInt64(limits.maxTokensPerEntry) else { throw .oversized("tokens per entry", limit: limits.maxTokensPerEntry) }
        guard count > 0 else { throw .malformed("an entry needs at least one token") }
        var tokens = [Token]()
        tokens.reserveCapacity(Int(count))
        for _ in 0..<count {
            let token = try reader.token()
            guard !token.isZero else { throw .malformed("all-zero token refused") }
            if let last = tokens.last, !(last < token) { throw .malformed("tokens must be sorted and distinct") }
            tokens.append(token)
        }
        self.tokens = tokens
        guard reader.isAtEnd else { throw .malformed("trailing bytes after event") }
    }
}
