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

/// The first problem found, located by sequence number.
public struct AuditProblem: Sendable, Equatable, CustomStringConvertible {
    public var seq: UInt64
    public var kind: AuditProblemKind
    /// What was found, in words (no record content is quoted).
    public var explanation: String

    public var description: String { "seq \(seq): \(kind.rawValue): \(explanation)" }
}

/// An `audit.recovered` record: what a writer found when it opened the log or next took its lock.
public struct AuditRecovery: Sendable, Equatable {
    /// The codes a recovery record can carry in its `findings` detail.
    public enum Finding: String, Sendable, Equatable, CaseIterable {
        /// The last line was incomplete (killed mid-write); it was cut off and set aside.
        case tornTail = "torn-tail"
        /// One or more writers (processes or instances) ended without `close()` — killed, crashed
        /// or dropped — since the log was last opened; not damage by itself. Writers still running
        /// in other processes are not counted: each holds a lock on its marker in `writers/`.
        case notClosed = "not-closed"
        /// Records a writer had seen at the end of the chain were gone or different when it next
        /// took the lock: the log was cut, rewritten or replaced while in use.
        case changedWhileOpen = "changed-while-open"
        /// The log ended before the head's seq: records the head had vouched for were gone.
        case logBehindHead = "log-behind-head"
        /// The record at the head's seq had a different hash.
        case headMismatch = "head-mismatch"
        /// The head file was missing although the log had records.
        case headMissing = "head-missing"
        /// The head file could not be parsed.
        case headUnreadable = "head-unreadable"
        /// The head file was signed by this node's key fingerprint but the signature was wrong.
        case headBadSignature = "head-bad-signature"
        /// The head was signed by another key (key rotation, or forgery): checked at verify time.
        case headOtherKey = "head-other-key"
    }

    /// The seq of the `audit.recovered` record.
    public var seq: UInt64
    public var findings: [Finding]
    /// Bytes of torn tail cut off (kept in `recovered-tail-*.bin`).
    public var tornBytes: Int
    /// The last intact seq when reopened.
    public var logSeq: UInt64
    /// How many writers had ended without closing (with ``Finding/notClosed``).
    public var writersNotClosed = 0
}

/// What `AuditLog.verify` found.
public struct AuditVerification: Sendable, Equatable {
    /// Complete records read and checked (up to the first problem).
    public var records = 0
    /// The seq of the last good record.
    public var lastSeq: UInt64 = 0
    /// Checkpoints whose signature verified.
    public var checkpointsVerified = 0
    public var lastCheckpointSeq: UInt64?
    /// The seq recorded in the head file, if one was read.
    public var headSeq: UInt64?
    /// Records after the head: not yet flushed, so a truncation among them could not be detected.
    public var recordsAfterHead = 0
    /// Every reopening that found something, in order.
    public var recoveries: [AuditRecovery] = []
    /// Bytes after the last newline (a torn write not yet recovered, or a write in progress).
    public var tornTailBytes = 0
    /// The first problem, or nil when the log is intact.
    public var problem: AuditProblem?

    public var isIntact: Bool { problem == nil }
}
