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
