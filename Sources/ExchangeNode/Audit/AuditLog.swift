import Crypto
import Foundation
import Logging
import Metrics
import Synchronization

/// The node's tamper-evident audit log: `DIRECTORY/audit.log` (normally `HOME/audit/audit.log`),
/// JSON Lines, append-only, one ``AuditRecord`` per line, each committing to the previous one's
/// hash.
///
/// - **Checkpoints.** After every `checkpointEvery` records, and on ``close()``, the log appends a
///   `checkpoint` record signed with the node key over its own `seq` and the previous record's hash
///   (see ``AuditSigning``). Rewriting records before a checkpoint needs the node's private key.
/// - **Head.** ``flush()``, every checkpoint and ``close()`` fsync the log and then atomically
///   replace `DIRECTORY/head` with the signed `seq` and hash of the last record (see ``AuditHead``).
///   A log that ends before the head, or differs from it, was truncated or rewritten.
/// - **Cost.** ``append(_:)`` takes a lock, hashes the record and hands one line to the kernel with
///   `write(2)`; nothing is fsynced there, so a killed process loses nothing it appended but a power
///   loss can lose what came after the last flush. Call ``flush()`` regularly (``AuditFlushService``
///   does, once a second) and ``close()`` on shutdown.
/// - **Crash recovery.** On open, bytes after the last newline (a torn write) are cut off and kept
///   in `DIRECTORY/recovered-tail-<seq>.bin`, the head is compared with the log, and whatever was
///   found (torn tail, log shorter than the head, head missing or badly signed, previous run not
///   closed) is written as an `audit.recovered` record, which `verify` reports.
/// - **Residual limits.** Someone who can write the files but lacks the node key can still (1)
///   truncate or rewrite records appended after the last flush when the node is not running — at
///   most about one flush interval of records, (2) roll the log *and* the head back together to
///   an earlier state they saved, or (3) delete the directory. Detecting those needs a copy of the
///   head held elsewhere (for example sent to the coordinator); this log does not do that.
///
/// Safe to use from many tasks at once. Records never hold subject identifiers: ``AuditEvent``
/// takes counts, codes, member ids and entry ids, and ``AuditDetailGuard`` redacts anything else.
public final class AuditLog: Sendable {
    public static let logFileName = "audit.log"

    /// The directory holding `audit.log` and `head`.
    public let directory: String
    /// Ordinary records between two checkpoints.
    public let checkpointEvery: Int

    private let signingKey: P256.Signing.PrivateKey
    private let logger: Logger
    private let state: Mutex<State>
    /// Serialises flush and close; holds the seq last written to the head file in this run.
    private let durability = Mutex<UInt64?>(nil)
    private let recordsCounter = Counter(label: "exchange_node_audit_records_total")
    private let failuresCounter = Counter(label: "exchange_node_audit_append_failures_total")
    private let redactionsCounter = Counter(label: "exchange_node_audit_redactions_total")

    private struct State: Sendable {
        var file: AuditFile?
        var length: Int
        var lastSeq: UInt64
        var lastHash: [UInt8]
        var lastIsCheckpoint: Bool
        var sinceCheckpoint: Int
        var failures = 0
        var redactions = 0
    }

    private enum AppendResult {
        case appended(checkpoint: Bool)
        case failed(AuditError)
    }

    var logPath: String { directory + "/" + Self.logFileName }

    /// Opens (or creates) the log in `directory`, recovering from a crash if needed. Lock order:
    /// `durability` before `state`.
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
        let path = directory + "/" + Self.logFileName
        let file = try AuditFile.openForAppend(path)
        let inspection: AuditTailInspection
        var findings: [String: String] = [:]
        do {
            inspection = try AuditTailInspection.inspect(file)
            if !inspection.torn.isEmpty {
                try Self.setAside(torn: inspection.torn, nextSeq: inspection.lastSeq + 1, directory: directory)
                try file.truncate(to: inspection.intactLength)
                try file.sync()
                findings["tornBytes"] = String(inspection.torn.count)
                findings["tornSha256"] = AuditHex.encode(SHA256.hash(data: inspection.torn))
            }
            findings.merge(try Self.compareHead(with: inspection, directory: directory, path: path, key: signingKey)) { $1 }
        } catch {
            file.close()
            throw error
        }
        var codes: [String] = []
        if !inspection.torn.isEmpty { codes.append(AuditRecovery.Finding.tornTail.rawValue) }
        if inspection.lastSeq > 0, !inspection.lastIsCheckpoint { codes.append(AuditRecovery.Finding.notClosed.rawValue) }
        if let headCodes = findings.removeValue(forKey: "findings") { codes.append(headCodes) }
        state = Mutex(State(file: file, length: inspection.intactLength, lastSeq: inspection.lastSeq,
                            lastHash: inspection.lastHash, lastIsCheckpoint: inspection.lastIsCheckpoint,
                            sinceCheckpoint: inspection.recordsSinceCheckpoint))
        if !codes.isEmpty {
            findings["findings"] = codes.joined(separator: ",")
            findings["logSeq"] = String(inspection.lastSeq)
            var event = AuditEvent(actor: AuditEvent.localActor, role: .internal, action: .recovered, outcome: .ok)
            event.detail = findings
            let result = state.withLock { s in
                do throws(AuditError) {
                    try write(event, into: &s)
                    return AppendResult.appended(checkpoint: false)
                } catch {
                    return .failed(error)
                }
            }
            if case .failed(let error) = result { throw error }
            logger.warning("audit log reopened after a problem", metadata: ["findings": "\(findings["findings"]!)"])
        }
        try flush()
    }

    deinit {
        state.withLock { s in
            s.file?.close()
            s.file = nil
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
                try write(clean, into: &s)
                s.sinceCheckpoint += 1
                if s.sinceCheckpoint >= every {
                    try writeCheckpoint(into: &s, reason: "interval")
                    return AppendResult.appended(checkpoint: true)
                }
                return .appended(checkpoint: false)
            } catch {
                return .failed(error)
            }
        }
        switch result {
        case .appended(let checkpoint):
            recordsCounter.increment()
            if checkpoint {
                do { try flush() } catch { fail(error) }
            }
        case .failed(let error):
            fail(error)
        }
    }

    /// Makes every record appended so far durable (fsync) and records it in the signed head file.
    /// Does nothing when nothing was appended since the last flush.
    public func flush() throws(AuditError) {
        try durability.withLock { headSeq throws(AuditError) in
            let snapshot = state.withLock { s in (file: s.file, seq: s.lastSeq, hash: s.lastHash) }
            guard let file = snapshot.file else { throw AuditError.closed }
            if headSeq == snapshot.seq { return }
            try file.sync()
            try AuditHead.signed(seq: snapshot.seq, hash: snapshot.hash, key: signingKey).write(directory: directory)
            headSeq = snapshot.seq
        }
    }

    /// Writes a closing checkpoint (unless the last record is one), fsyncs, updates the head and
    /// closes the file. Later appends fail (and are counted); closing twice does nothing.
    public func close() throws(AuditError) {
        try durability.withLock { headSeq throws(AuditError) in
            try state.withLock { s throws(AuditError) in
                guard let file = s.file else { return }
                if !s.lastIsCheckpoint { try writeCheckpoint(into: &s, reason: "close") }
                try file.sync()
                try AuditHead.signed(seq: s.lastSeq, hash: s.lastHash, key: signingKey).write(directory: directory)
                headSeq = s.lastSeq
                file.close()
                s.file = nil
            }
        }
    }

    /// The sequence number of the last record written.
    public var lastSeq: UInt64 { state.withLock { $0.lastSeq } }
    /// Appends that failed since the log was opened.
    public var failureCount: Int { state.withLock { $0.failures } }
    /// Actors, detail keys or values replaced by `redacted` since the log was opened.
    public var redactionCount: Int { state.withLock { $0.redactions } }

    // MARK: - Inside the lock

    private func write(_ event: AuditEvent, into s: inout State) throws(AuditError) {
        guard let file = s.file else { throw .closed }
        let record = AuditRecord(seq: s.lastSeq + 1, time: AuditTime.now(), actor: event.actor, role: event.role,
                                 action: event.action, outcome: event.outcome, detail: event.detail, prev: s.lastHash)
        let line = AuditRecordCodec.render(record)
        do {
            try file.writeAll(line)
        } catch {
            try? file.truncate(to: s.length)  // never leave half a record in the middle of the log
            throw error
        }
        s.length += line.count
        s.lastSeq = record.seq
        s.lastHash = record.hash
        s.lastIsCheckpoint = record.isCheckpoint
    }

    private func writeCheckpoint(into s: inout State, reason: String) throws(AuditError) {
        var event = AuditEvent(actor: AuditEvent.localActor, role: .internal, action: .checkpoint, outcome: .ok)
        event.detail = try AuditSigning.checkpointDetail(
            seq: s.lastSeq + 1, prev: s.lastHash, key: signingKey, reason: reason, recordsSinceLast: s.sinceCheckpoint)
        try write(event, into: &s)
        s.sinceCheckpoint = 0
    }

    private func fail(_ error: AuditError) {
        state.withLock { $0.failures += 1 }
        failuresCounter.increment()
        logger.error("audit append failed", metadata: ["error": "\(error)"])
    }

    // MARK: - Opening

    private static func setAside(torn: [UInt8], nextSeq: UInt64, directory: String) throws(AuditError) {
        let path = directory + "/recovered-tail-\(nextSeq)-\(AuditTime.nowMillis()).bin"
        try AuditFile.replaceAtomically(path, with: torn, directory: directory)
    }

    /// Compares the head file with the tail of the log; returns the detail of the recovery record
    /// (with a comma-separated `findings` entry) or an empty dictionary when they agree.
    private static func compareHead(
        with tail: AuditTailInspection, directory: String, path: String, key: P256.Signing.PrivateKey
    ) throws(AuditError) -> [String: String] {
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
        if !codes.isEmpty { detail["findings"] = codes.map(\.rawValue).joined(separator: ",") }
        return detail
    }
}
