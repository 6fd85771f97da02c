/// The kinds of damage `AuditLog.verify` tells apart.
public enum AuditProblemKind: String, Sendable, Equatable, CaseIterable {
    /// A record's bytes changed: it no longer parses, is not in canonical form, its hash does not
    /// match its fields, or (re-hashed) it no longer matches the next record's `prev`.
    case edited
    /// Records are missing from the middle of the log.
    case removed
    /// Records are out of order (moved or duplicated).
    case reordered
    /// The log ends before the point the signed head recorded (or was found so when reopened).
    case truncated
    /// A checkpoint's signature does not verify with the node key (or was made by a key not supplied).
    case badCheckpointSignature = "bad-checkpoint-signature"
    /// The head file is missing, unreadable or not signed by the node key.
    case badHead = "bad-head"
}
