extension AuditVerification {
    /// The lines `audit verify` prints for this verification.
    public var reportLines: [String] {
        let v = self
        var lines: [String] = []
        if let problem = v.problem {
            lines.append("DAMAGED at seq \(problem.seq): \(problem.kind.rawValue) — \(problem.explanation)")
            lines.append("\(v.records) record(s) before it verified, \(v.checkpointsVerified) signed checkpoint(s)")
        } else {
            lines.append("intact: \(v.records) record(s), seq 1...\(v.lastSeq), \(v.checkpointsVerified) signed checkpoint(s)"
                         + (v.lastCheckpointSeq.map { ", last at seq \($0)" } ?? ""))
            if let head = v.headSeq {
                lines.append("head: seq \(head)"
                             + (v.recordsAfterHead > 0 ? "; \(v.recordsAfterHead) later record(s) not yet covered by it" : ""))
            }
        }
        for recovery in v.recoveries {
            let findings = recovery.findings.map { finding in
                finding == .notClosed && recovery.writersNotClosed > 0
                    ? "\(finding.rawValue) (\(recovery.writersNotClosed) writer(s) ended without closing)" : finding.rawValue
            }.joined(separator: ", ")
            lines.append("recovery at seq \(recovery.seq) (log was at seq \(recovery.logSeq)): \(findings)"
                         + (recovery.tornBytes > 0 ? "; \(recovery.tornBytes) torn byte(s) set aside" : ""))
        }
        if v.tornTailBytes > 0 {
            lines.append("the last \(v.tornTailBytes) byte(s) are an incomplete record (crash, or a write in progress); "
                         + "the node cuts them off and records it when it next opens the log")
        }
        return lines
    }
}
