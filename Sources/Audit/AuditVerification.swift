

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
