import Crypto
import ExchangeCrypto
import ExchangeProtocol
import ExchangeRuntime
import Foundation
import Logging
import Metrics
import Synchronization

/// The node's tamper-evident audit log: `DIRECTORY/audit.log` (normally `HOME/audit/audit.log`),
/// JSON Lines, append-only, one ``AuditRecord`` per line, each committing to the previous one's
/// hash.
///
/// - **Many writers.** Any number of processes (`serve` alongside `revoke`, `import`, `sync`) and
///   instances may have the log open at once; they all continue one chain. Every append, flush,
///   checkpoint and close happens under an exclusive `flock` on `DIRECTORY/lock`
///   (``AuditFileLock``). Under it, the writer first checks whether the log changed since it last
///   held the lock (another inode at the path, or another size) and if so follows the chain
///   through the lines other writers appended (``AuditChainEnd/catchUp(in:size:)``) before it
///   writes its own.
/// - **Checkpoints.** After every `checkpointEvery` ordinary records of the chain (whoever wrote
///   them), and on ``close()``, the writer holding the lock appends a `checkpoint` record signed
///   with the node key over its own `seq` and the previous record's hash (see ``AuditSigning``).
///   Rewriting records before a checkpoint needs the node's private key.
/// - **Head.** ``flush()``, every checkpoint and ``close()`` fsync the log and then, still under
///   the lock, atomically replace `DIRECTORY/head` with the signed `seq` and hash of the chain's
///   last record (see ``AuditHead``). A log that ends before the head, or differs from it, was
///   truncated or rewritten.
/// - **Cost.** ``append(_:)`` takes the instance's mutex and the file lock, checks the log's inode
///   and size, hashes the record and hands one line to the kernel with `write(2)`; nothing is
///   fsynced there, so a killed process loses nothing it appended but a power loss can lose what
///   came after the last flush. Call ``flush()`` regularly (``AuditFlushService`` does, once a
///   second) and ``close()`` on shutdown.
/// - **Crash recovery.** Bytes after the last newline can only be left by a writer that died in
///   the middle of a `write(2)`: they are cut off and kept in `DIRECTORY/recovered-tail-<seq>-*.bin`
///   by whichever writer next takes the lock. On open the head is also compared with the log, and
///   writers that ended without ``close()`` are found by their markers (``AuditWriterMarker``): a
///   writer still running in another process is not one of them. Whatever was found is written
///   as an `audit.recovered` record, which `verify` reports; records that a writer had seen and
///   that were gone or different when it next took the lock are reported the same way.
/// - **Residual limits.** Someone who can write the files but lacks the node key can still (1)
///   truncate or rewrite records appended after the last flush when no writer is running — at
///   most about one flush interval of records, (2) roll the log *and* the head back together to
///   an earlier state they saved, or (3) delete the directory. Detecting those needs a copy of the
///   head held elsewhere (for example sent to the coordinator); this log does not do that. A
///   process that ignores the lock (an older build) still interleaves its own chain.
///
/// Safe to use from many tasks at once. Records never hold subject identifiers: ``AuditEvent``
/// takes counts, codes, member ids and entry ids, and ``AuditDetailGuard`` redacts anything else.
public final class AuditLog: Sendable {
    public static let logFileName = "audit.log"

    /// The directory holding `audit.log`, `head`, `lock` and `writers/`.
    public let directory: String
    /// Ordinary records between two checkpoints.
    public let checkpointEvery: Int

    private let signingKey: P256.Signing.PrivateKey
    private let logger: Logger
    private let state: Mutex<State>
    private let recordsCounter = Counter(label: "exchange_node_audit_records_total")
    private let failuresCounter = Counter(label: "exchange_node_audit_append_failures_total")
    private let redactionsCounter = Counter(label: "exchange_node_audit_redactions_total")

    private struct State: Sendable {
        /// The log, opened by this instance; nil once closed.
        var file: AuditFile?
        /// Which file `file` is, to notice the log being replaced at its path.
        var identity: AuditFile.Identity?
        var lock: AuditFileLock?
        var marker: AuditWriterMarker?
        /// The end of the chain as this instance last saw it under the lock.
        var end = AuditChainEnd()
        /// The seq this instance last wrote into the head file.
        var headSeq: UInt64?
        var failures = 0
        var redactions = 0
    }

    private enum AppendResult {
        case appended(durabilityFailure: AuditError?)
        case failed(AuditError)
    }

    var logPath: String { directory + "/" + Self.logFileName }

    /// Opens (or creates) the log in `directory`, recovering from a crash if needed, and registers
    /// this instance as one of its writers. Other processes may have the log open too.
    public init(
        directory: String, signingKey: P256.Signing.PrivateKey, checkpointEvery: Int = 1000,
        logger: Logger = Logger(label: "exchange-node.audit")
    ) throws(AuditError) {
        self.directory = directory
        self.signingKey = signingKey
        self.checkpointEvery = max(1, checkpointEvery)
        self.logger = logger
        do {
            try FileManager.default.createDirectory(
                atPath: directory, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
        } catch {
            throw .cannotOpen(path: directory, reason: "cannot create the directory")
        }
        let lock = try AuditFileLock.openForWriting(directory: directory)
        state = Mutex(State(lock: lock))
        // From here on, a throw releases the instance and deinit closes what was opened.
        try state.withLock { s throws(AuditError) in
            try lock.lockExclusive()
            defer { lock.unlock() }
            let abandoned = AuditWriterMarker.abandoned(directory: directory)
            try catchUp(&s, opening: true, writersNotClosed: abandoned.count)
            AuditWriterMarker.discard(abandoned)
            try makeDurable(&s)
            s.marker = try AuditWriterMarker.register(directory: directory, seq: s.end.seq)
        }
    }

    deinit {
        state.withLock { s in
            s.file?.close()
            s.file = nil
            s.marker?.abandon()  // dropped without close(): the next writer to open reports it
            s.marker = nil
            s.lock?.close()
            s.lock = nil
        }
    }

    /// Appends one event. Never throws: a failure (disk full, log closed, reserved action) is
    /// logged and counted in ``failureCount``; unsafe detail is redacted and counted in ``redactionCount``.
    public func append(_ event: AuditEvent) {
        if AuditAction.reserved.contains(AuditAction(rawValue: event.action)) {
            fail(.cannotWrite(path: logPath, reason: "action '\(event.action)' is reserved for the log itself"))
            return
        }
        let (clean, redactions) = AuditDetailGuard.sanitize(event)
        if redactions > 0 {
            redactionsCounter.increment(by: Int64(redactions))
            logger.warning("audit detail redacted", metadata: ["action": "\(clean.action)", "fields": "\(redactions)"])
        }
        let every = checkpointEvery
        let result = state.withLock { s in
            s.redactions += redactions
            do throws(AuditError) {
                return try locked(&s) { s throws(AuditError) in
                    try write(clean, into: &s)
                    guard s.end.sinceCheckpoint >= every else { return AppendResult.appended(durabilityFailure: nil) }
                    do throws(AuditError) {
                        try writeCheckpoint(into: &s, reason: "interval")
                        try makeDurable(&s)
                    } catch {
                        return .appended(durabilityFailure: error)
                    }
                    return .appended(durabilityFailure: nil)
                }
            } catch {
                return .failed(error)
            }
        }
        switch result {
        case .appended(let durabilityFailure):
            recordsCounter.increment()
            if let durabilityFailure { fail(durabilityFailure) }
        case .failed(let error):
            fail(error)
        }
    }

    /// Makes every record of the chain so far durable (fsync) and records the chain's end in the
    /// signed head file. Does nothing when this instance already wrote the head for that end.
    public func flush() throws(AuditError) {
        try state.withLock { s throws(AuditError) in
            try locked(&s) { s throws(AuditError) in
                if s.headSeq == s.end.seq { return }
                try makeDurable(&s)
            }
        }
    }

    /// Writes a closing checkpoint (unless the chain's last record is one), fsyncs, updates the
    /// head, removes this writer's marker and closes the files. Later appends fail (and are
    /// counted); closing twice does nothing.
    public func close() throws(AuditError) {
        try state.withLock { s throws(AuditError) in
            guard s.file != nil else { return }
            try locked(&s) { s throws(AuditError) in
                if !s.end.isCheckpoint { try writeCheckpoint(into: &s, reason: "close") }
                try makeDurable(&s)
                s.marker?.remove()
                s.marker = nil
            }
            s.file?.close()
            s.file = nil
            s.lock?.close()
            s.lock = nil
        }
    }

    /// The sequence number of the chain's last record, as this instance last saw it (other
    /// processes may have appended since).
    public var lastSeq: UInt64 { state.withLock { $0.end.seq } }
    /// Appends that failed since the log was opened.
    public var failureCount: Int { state.withLock { $0.failures } }
    /// Actors, detail keys or values replaced by `redacted` since the log was opened.
    public var redactionCount: Int { state.withLock { $0.redactions } }

    // MARK: - Inside the mutex

    /// Runs `body` holding the file lock, after bringing this instance's view of the chain up to date.
    private func locked<Result>(
        _ s: inout State, _ body: (inout State) throws(AuditError) -> Result
    ) throws(AuditError) -> Result {
        guard s.file != nil, let lock = s.lock else { throw .closed }
        try lock.lockExclusive()
        defer { lock.unlock() }
        try catchUp(&s, opening: false)
        return try body(&s)
    }

    // MARK: - Inside the file lock

    private func write(_ event: AuditEvent, into s: inout State) throws(AuditError) {
        guard let file = s.file else { throw .closed }
        let record = AuditRecord(seq: s.end.seq + 1, time: ISO8601.format(millis: NodeClock.nowMillis()), actor: event.actor, role: event.role,
                                 action: event.action, outcome: event.outcome, detail: event.detail, prev: s.end.hash)
        let line = AuditRecordCodec.render(record)
        do {
            try file.writeAll(line)
        } catch {
            try? file.truncate(to: s.end.length)  // never leave half a record in the middle of the log
            throw error
        }
        s.end.advance(past: record, lineLength: line.count)
    }

    private func writeCheckpoint(into s: inout State, reason: String) throws(AuditError) {
        var event = AuditEvent(actor: AuditEvent.localActor, role: .internal, action: .checkpoint, outcome: .ok)
        event.detail = try AuditSigning.checkpointDetail(
            seq: s.end.seq + 1, prev: s.end.hash, key: signingKey, reason: reason, recordsSinceLast: s.end.sinceCheckpoint)
        try write(event, into: &s)
    }

    /// Fsyncs the log (whoever wrote it) and signs its end into the head file.
    private func makeDurable(_ s: inout State) throws(AuditError) {
        guard let file = s.file else { throw .closed }
        try file.sync()
        try AuditHead.signed(seq: s.end.seq, hash: s.end.hash, key: signingKey).write(directory: directory)
        s.headSeq = s.end.seq
    }

    /// Brings `s.end` up to the end of the chain on disk. Cheap when nothing changed since this
    /// instance last held the lock; follows other writers' lines when the log grew; inspects the
    /// tail afresh when opening, when the log was replaced or shrank, or when the new lines do not
    /// continue the chain. Writes an `audit.recovered` record when something was found.
    private func catchUp(_ s: inout State, opening: Bool, writersNotClosed: Int = 0) throws(AuditError) {
        var inspect = opening
        let atPath = AuditFile.identity(ofPath: logPath)
        if s.file == nil || atPath == nil || atPath != s.identity {
            let file = try AuditFile.openForAppend(logPath)
            let identity: AuditFile.Identity
            do {
                identity = try file.identity()
            } catch {
                file.close()
                throw error
            }
            s.file?.close()
            s.file = file
            s.identity = identity
            inspect = true
        }
        guard let file = s.file else { throw .closed }
        var findings: [AuditRecovery.Finding] = []
        var detail: [String: String] = [:]
        var torn: [UInt8] = []
        if !inspect {
            let size = try file.size()
            if size == s.end.length { return }
            switch try s.end.catchUp(in: file, size: size) {
            case .continued(let end, let rest):
                s.end = end
                torn = rest
            case .inspectAgain:
                inspect = true
            }
        }
        var headCodes: [AuditRecovery.Finding] = []
        if inspect {
            let known = s.end
            let inspection = try AuditTailInspection.inspect(file)
            s.end = AuditChainEnd(inspection)
            torn = inspection.torn
            if !opening, known.seq > 0 {
                let found = known.seq <= inspection.lastSeq
                    ? try AuditTailInspection.hash(ofSeq: known.seq, in: inspection, path: logPath) : nil
                if found != known.hash {
                    findings.append(.changedWhileOpen)
                    detail["knownSeq"] = String(known.seq)
                    detail["knownHash"] = Hex.encode(known.hash)
                }
            }
            let (codes, headDetail) = try Self.compareHead(with: inspection, directory: directory, path: logPath, key: signingKey)
            headCodes = codes
            detail.merge(headDetail) { $1 }
        }
        if !torn.isEmpty {
            try Self.setAside(torn: torn, nextSeq: s.end.seq + 1, directory: directory)
            try file.truncate(to: s.end.length)
            try file.sync()
            findings.insert(.tornTail, at: 0)
            detail["tornBytes"] = String(torn.count)
            detail["tornSha256"] = Hex.encode(SHA256.hash(data: torn))
        }
        if writersNotClosed > 0 {
            findings.append(.notClosed)
            detail["writersNotClosed"] = String(writersNotClosed)
        }
        findings += headCodes
        guard !findings.isEmpty else { return }
        let codes = findings.map(\.rawValue).joined(separator: ",")
        detail["findings"] = codes
        detail["logSeq"] = String(s.end.seq)
        var event = AuditEvent(actor: AuditEvent.localActor, role: .internal, action: .recovered, outcome: .ok)
        event.detail = detail
        try write(event, into: &s)
        logger.warning("audit log recovered", metadata: ["findings": "\(codes)", "opening": "\(opening)"])
    }

    private func fail(_ error: AuditError) {
        state.withLock { $0.failures += 1 }
        failuresCounter.increment()
        logger.error("audit append failed", metadata: ["error": "\(error)"])
    }

    // MARK: - Recovery helpers

    private static func setAside(torn: [UInt8], nextSeq: UInt64, directory: String) throws(AuditError) {
        let path = directory + "/recovered-tail-\(nextSeq)-\(NodeClock.nowMillis()).bin"
        try AuditFile.replaceAtomically(path, with: torn, directory: directory)
    }

    /// Compares the head file with the tail of the log; returns what disagrees, and the head's
    /// fields for the recovery record when anything does.
    private static func compareHead(
        with tail: AuditTailInspection, directory: String, path: String, key: P256.Signing.PrivateKey
    ) throws(AuditError) -> ([AuditRecovery.Finding], [String: String]) {
        var detail: [String: String] = [:]
        var codes: [AuditRecovery.Finding] = []
        switch AuditHead.read(directory: directory) {
        case .missing:
            if tail.lastSeq > 0 { codes.append(.headMissing) }
        case .unreadable:
            codes.append(.headUnreadable)
        case .found(let head):
            if head.key != AuditSigning.fingerprint(key.publicKey) {
                codes.append(.headOtherKey)
            } else if !head.isValid(for: key.publicKey) {
                codes.append(.headBadSignature)
            }
            if head.seq > tail.lastSeq {
                codes.append(.logBehindHead)
            } else if head.seq > 0 {
                let found = try AuditTailInspection.hash(ofSeq: head.seq, in: tail, path: path)
                if found != head.hashBytes { codes.append(.headMismatch) }
            }
            if !codes.isEmpty {
                detail["headSeq"] = String(head.seq)
                detail["headHash"] = head.hash
                detail["headKey"] = head.key
                detail["headSignature"] = head.signature
            }
        }
        return (codes, detail)
    }
}
