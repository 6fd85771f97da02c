/// Ready-made events for what the issue says must be audited. Each takes only counts, sequence
/// numbers, durations, codes, member ids and node- or CA-assigned ids — never an identifier.
extension AuditEvent {
    /// A peer pulled events from this node's feed.
    public static func syncServed(peer: String, fromSeq: UInt64, events: Int, outcome: AuditOutcome = .ok,
                                  reason: String? = nil) -> AuditEvent {
        AuditEvent(actor: peer, role: .peer, action: .syncServe, outcome: outcome,
                   detail: withReason(["fromSeq": .seq(fromSeq), "events": .count(events)], reason))
    }

    /// This node pulled events from a peer's feed.
    public static func syncPulled(peer: String, fromSeq: UInt64, events: Int, outcome: AuditOutcome = .ok,
                                  reason: String? = nil) -> AuditEvent {
        AuditEvent(actor: localActor, role: .internal, action: .syncPull, outcome: outcome,
                   detail: withReason(["peer": .member(peer), "fromSeq": .seq(fromSeq), "events": .count(events)], reason))
    }

    /// An import of the member's own entries finished (or was rejected as a whole).
    public static func imported(entries: Int, rejected: Int, fileSHA256: [UInt8]? = nil, outcome: AuditOutcome = .ok,
                                reason: String? = nil) -> AuditEvent {
        var detail: [String: AuditValue] = ["entries": .count(entries), "rejected": .count(rejected)]
        if let fileSHA256 { detail["file"] = .digest(fileSHA256) }
        return AuditEvent(actor: localActor, role: .operator, action: .importEntries, outcome: outcome,
                          detail: withReason(detail, reason))
    }

    /// A batch of the member's subjects was screened against the alliance's entries.
    public static func screenedBatch(subjects: Int, matches: Int, millis: Int, role: AuditRole = .local,
                                     outcome: AuditOutcome = .ok) -> AuditEvent {
        AuditEvent(actor: localActor, role: role, action: .screenBatch, outcome: outcome,
                   detail: ["subjects": .count(subjects), "matches": .count(matches), "took": .millis(millis)])
    }

    /// One of the member's entries was revoked.
    public static func revoked(entry: String, reason: String, role: AuditRole = .operator) -> AuditEvent {
        AuditEvent(actor: localActor, role: role, action: .revoke, outcome: .ok,
                   detail: ["entry": .id(entry), "reason": .code(reason)])
    }

    /// An appeal against an entry was filed (by `actor`: a member id, or `local`).
    public static func appealFiled(appeal: String, entry: String, actor: String, role: AuditRole) -> AuditEvent {
        AuditEvent(actor: actor, role: role, action: .appealFile, outcome: .ok,
                   detail: ["appeal": .id(appeal), "entry": .id(entry)])
    }

    /// An appeal was decided (`decision` is a code such as `upheld` or `withdrawn`).
    public static func appealDecided(appeal: String, entry: String, decision: String) -> AuditEvent {
        AuditEvent(actor: localActor, role: .operator, action: .appealDecide, outcome: .ok,
                   detail: ["appeal": .id(appeal), "entry": .id(entry), "decision": .code(decision)])
    }

    /// A certificate was issued, renewed or revoked (`action` is one of the `certificate…` actions).
    public static func certificateChanged(_ action: AuditAction, member: String, serial: String,
                                          role: AuditRole = .operator) -> AuditEvent {
        AuditEvent(actor: localActor, role: role, action: action, outcome: .ok,
                   detail: ["member": .member(member), "serial": .id(serial)])
    }

    /// A peer was added, removed or changed (`action` is one of the `peer…` actions).
    public static func peerChanged(_ action: AuditAction, member: String) -> AuditEvent {
        AuditEvent(actor: localActor, role: .operator, action: action, outcome: .ok, detail: ["peer": .member(member)])
    }

    /// A request the node refused: `actor` is the caller's member id (or `unknown`), `reason` a code.
    public static func refused(actor: String, role: AuditRole, action: AuditAction = .request, reason: String) -> AuditEvent {
        AuditEvent(actor: actor, role: role, action: action, outcome: .refused, detail: ["reason": .code(reason)])
    }

    private static func withReason(_ detail: [String: AuditValue], _ reason: String?) -> [String: AuditValue] {
        guard let reason else { return detail }
        var detail = detail
        detail["reason"] = .code(reason)
        return detail
    }
}
