import Crypto
import ExchangeCrypto

/// Reads a whole audit log once, front to back, and reports the first problem.
///
/// For each complete line, in this order: it must parse and be byte-for-byte canonical, its hash
/// must match its fields (else *edited*), its seq must be the next one (else *removed* when the
/// expected seq never appears later, *reordered* when it does or when a seq goes back), and its
/// `prev` must be the previous record's hash (else the previous record was *edited* and
/// re-hashed). Checkpoints must carry a valid signature by one of the supplied keys. Recovery
/// records are collected, and the damage they found at reopening is reported. Finally the signed
/// head must be present and valid, the log must reach its seq (else *truncated*) and hold the
/// same record there.
struct AuditVerifier {
    let keys: [String: P256.Signing.PublicKey]

    init(publicKeys: [P256.Signing.PublicKey]) {
        var keys: [String: P256.Signing.PublicKey] = [:]
        for key in publicKeys { keys[AuditSigning.fingerprint(key)] = key }
        self.keys = keys
    }

    func verify(directory: String) throws(AuditError) -> AuditVerification {
        let path = directory + "/" + AuditLog.logFileName
        let head = AuditHead.read(directory: directory)  // before the log: the log is at least as long
        guard let file = try AuditFile.openForReading(path) else { throw .noLog(path: path) }
        defer { file.close() }
        var result = AuditVerification()
        var reader = AuditLineReader(file: file)
        var expected: UInt64 = 1
        var lastHash = AuditRecord.zeroHash
        var hashAtHead: [UInt8]?
        if case .found(let h) = head { result.headSeq = h.seq }

        func fail(_ kind: AuditProblemKind, _ seq: UInt64, _ why: String) -> AuditVerification {
            result.problem = AuditProblem(seq: seq, kind: kind, explanation: why)
            return result
        }

        while let line = try reader.next() {
            guard line.terminated else {
                result.tornTailBytes = line.bytes.count
                break
            }
            guard let record = AuditRecordCodec.parse(line.bytes), AuditRecordCodec.isCanonical(record, line: line.bytes) else {
                return fail(.edited, expected, "the line at byte \(line.offset) is not a well-formed audit record")
            }
            guard record.hashIsConsistent else {
                return fail(.edited, expected, "the record's hash does not match its content")
            }
            if record.seq > expected {
                if try Self.appearsLater(expected, in: &reader) {
                    return fail(.reordered, expected, "record \(record.seq) stands where \(expected) belongs; \(expected) comes later")
                }
                let range = record.seq - 1 == expected ? "record \(expected) is" : "records \(expected)...\(record.seq - 1) are"
                return fail(.removed, expected, "\(range) missing")
            }
            if record.seq < expected {
                return fail(.reordered, expected, "record \(record.seq) stands where \(expected) belongs")
            }
            guard record.prev == lastHash else {
                if expected == 1 { return fail(.edited, 1, "the first record does not start a chain (prev is not zero)") }
                return fail(.edited, expected - 1,
                            "record \(expected - 1) was changed and re-hashed: record \(expected) no longer links to it")
            }
            if record.isCheckpoint {
                if let why = checkpointProblem(record) { return fail(.badCheckpointSignature, record.seq, why) }
                result.checkpointsVerified += 1
                result.lastCheckpointSeq = record.seq
            }
            if record.action == AuditAction.recovered.rawValue {
                let (recovery, problem) = examineRecovery(record)
                result.recoveries.append(recovery)
                if let problem {
                    result.problem = problem
                    return result
                }
            }
            if case .found(let h) = head, h.seq == record.seq { hashAtHead = record.hash }
            result.records += 1
            result.lastSeq = record.seq
            lastHash = record.hash
            expected += 1
        }

        switch head {
        case .missing:
            if result.records > 0 { return fail(.badHead, result.lastSeq, "the head file is missing") }
        case .unreadable:
            return fail(.badHead, result.lastSeq, "the head file cannot be read")
        case .found(let h):
            guard let key = keys[h.key] else {
                return fail(.badHead, h.seq, "the head is signed by key \(h.key), which was not supplied")
            }
            guard h.isValid(for: key) else { return fail(.badHead, h.seq, "the head's signature does not verify") }
            if h.seq > result.lastSeq {
                return fail(.truncated, result.lastSeq + 1,
                            "the log ends at seq \(result.lastSeq) but the signed head vouches for records up to \(h.seq)")
            }
            if h.seq > 0, hashAtHead != h.hashBytes {
                return fail(.edited, h.seq, "record \(h.seq) is not the one the signed head vouches for")
            }
            result.recordsAfterHead = Int(result.lastSeq - h.seq)
        }
        return result
    }

    /// Why a checkpoint does not verify, or nil when it does.
    private func checkpointProblem(_ record: AuditRecord) -> String? {
        guard record.detail["alg"] == AuditSigning.algorithm else { return "unknown signature algorithm" }
        guard let fingerprint = record.detail["key"], let key = keys[fingerprint] else {
            return "signed by key \(record.detail["key"] ?? "(none)"), which was not supplied"
        }
        guard let signature = record.detail["signature"],
              AuditSigning.isValid(signature: signature,
                                   for: AuditSigning.checkpointMessage(seq: record.seq, prev: record.prev), key: key)
        else { return "the signature does not verify over the chain before it" }
        return nil
    }

    /// The recovery a `audit.recovered` record describes, and the damage it reports if any.
    private func examineRecovery(_ record: AuditRecord) -> (AuditRecovery, AuditProblem?) {
        let detail = record.detail
        let findings = (detail["findings"] ?? "").split(separator: ",").compactMap { AuditRecovery.Finding(rawValue: String($0)) }
        let logSeq = UInt64(detail["logSeq"] ?? "") ?? (record.seq - 1)
        let headSeq = UInt64(detail["headSeq"] ?? "") ?? 0
        let recovery = AuditRecovery(seq: record.seq, findings: findings, tornBytes: Int(detail["tornBytes"] ?? "") ?? 0,
                                     logSeq: logSeq, writersNotClosed: Int(detail["writersNotClosed"] ?? "") ?? 0)
        let when = "when the log was reopened (record \(record.seq))"
        func problem(_ kind: AuditProblemKind, _ seq: UInt64, _ why: String) -> (AuditRecovery, AuditProblem?) {
            (recovery, AuditProblem(seq: seq, kind: kind, explanation: "\(when), \(why)"))
        }
        if findings.contains(.changedWhileOpen), let knownSeq = UInt64(detail["knownSeq"] ?? "") {
            let during = "while the log was in use (found at record \(record.seq)), "
            if logSeq < knownSeq {
                return (recovery, AuditProblem(seq: logSeq + 1, kind: .truncated, explanation:
                    during + "the log ended at seq \(logSeq) although a writer had seen records up to \(knownSeq)"))
            }
            return (recovery, AuditProblem(seq: knownSeq, kind: .edited, explanation:
                during + "record \(knownSeq) was not the one a writer had seen there"))
        }
        if findings.contains(.logBehindHead) {
            return problem(.truncated, logSeq + 1, "the log ended at seq \(logSeq) but the signed head vouched for records up to \(headSeq)")
        }
        if findings.contains(.headMismatch) {
            return problem(.edited, headSeq, "record \(headSeq) was not the one the signed head vouched for")
        }
        if findings.contains(.headMissing) { return problem(.badHead, record.seq, "the head file was missing") }
        if findings.contains(.headUnreadable) { return problem(.badHead, record.seq, "the head file could not be read") }
        if findings.contains(.headBadSignature) { return problem(.badHead, record.seq, "the head's signature did not verify") }
        if findings.contains(.headOtherKey) {
            let fingerprint = detail["headKey"] ?? "(none)"
            guard let key = keys[fingerprint] else {
                return problem(.badHead, record.seq, "the head was signed by key \(fingerprint), which was not supplied")
            }
            guard let hash = Hex.decode(Array((detail["headHash"] ?? "").utf8)), hash.count == 32,
                  let signature = detail["headSignature"],
                  AuditSigning.isValid(signature: signature, for: AuditSigning.headMessage(seq: headSeq, hash: hash), key: key)
            else {
                return problem(.badHead, record.seq, "the head's signature by key \(fingerprint) did not verify")
            }
        }
        return (recovery, nil)
    }

    /// Whether a record with sequence number `seq` appears among the remaining lines.
    private static func appearsLater(_ seq: UInt64, in reader: inout AuditLineReader) throws(AuditError) -> Bool {
        while let line = try reader.next() {
            if AuditRecordCodec.seq(of: line.bytes) == seq { return true }
        }
        return false
    }
}
