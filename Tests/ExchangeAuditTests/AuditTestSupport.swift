import Crypto
import Foundation

@testable import ExchangeAudit

/// Builds audit logs in temporary directories and damages them the way an attacker or a crash would.
enum AuditTestSupport {
    static func temporaryDirectory(_ name: String = "audit") -> String {
        let path = NSTemporaryDirectory() + "exchange-node-audit-tests/\(name)-\(UUID().uuidString)"
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        return path
    }

    /// An ordinary event, different for each `n`.
    static func event(_ n: Int, actor: String = "member-a") -> AuditEvent {
        let actions: [AuditAction] = [.syncServe, .syncPull, .screenBatch, .importEntries, .revoke, .appealFile]
        return AuditEvent(actor: actor, role: .peer, action: actions[n % actions.count], outcome: n % 7 == 0 ? .refused : .ok,
                          detail: ["events": .count(n % 97), "fromSeq": .seq(UInt64(n)), "reason": .code("r\(n % 5)")])
    }

    /// The 2500-record log of the tamper tests: three sessions (1200, 800, 500 records) with the
    /// default checkpoint interval, each closed. Built once; tests damage copies of it.
    struct Fixture: Sendable {
        let directory: String
        let key: P256.Signing.PrivateKey
    }

    static let fixture: Fixture = {
        let directory = temporaryDirectory("fixture")
        let key = P256.Signing.PrivateKey()
        var n = 0
        for size in [1200, 800, 500] {
            let log = try! AuditLog(directory: directory, signingKey: key)
            for _ in 0..<size {
                n += 1
                log.append(event(n))
            }
            try! log.close()
        }
        return Fixture(directory: directory, key: key)
    }()

    /// A fresh copy of the fixture's directory.
    static func fixtureCopy() -> (directory: String, key: P256.Signing.PrivateKey) {
        let copy = temporaryDirectory("copy")
        for name in try! FileManager.default.contentsOfDirectory(atPath: fixture.directory) {
            try! FileManager.default.copyItem(atPath: fixture.directory + "/" + name, toPath: copy + "/" + name)
        }
        return (copy, fixture.key)
    }

    static func logPath(_ directory: String) -> String { directory + "/" + AuditLog.logFileName }

    /// The log's lines, each with its newline.
    static func lines(_ directory: String) -> [[UInt8]] {
        let bytes = Array(FileManager.default.contents(atPath: logPath(directory))!)
        var lines: [[UInt8]] = []
        var start = 0
        for (i, byte) in bytes.enumerated() where byte == 0x0a {
            lines.append(Array(bytes[start...i]))
            start = i + 1
        }
        if start < bytes.count { lines.append(Array(bytes[start...])) }
        return lines
    }

    static func write(_ lines: [[UInt8]], to directory: String) {
        FileManager.default.createFile(atPath: logPath(directory), contents: Data(lines.joined()))
    }

    static func record(_ line: [UInt8]) -> AuditRecord {
        AuditRecordCodec.parse(line.last == 0x0a ? Array(line.dropLast()) : line)!
    }

    /// Rewrites records from index `start` on so that the chain links again, as someone who knows
    /// the format (but not necessarily the node key) would: recomputes every `prev` and `hash`,
    /// re-signs checkpoints with `checkpointKey` when given (else keeps their old signatures), and
    /// re-signs the head with `headKey` when given.
    static func rechain(_ lines: inout [[UInt8]], from start: Int, checkpointKey: P256.Signing.PrivateKey?,
                        headKey: P256.Signing.PrivateKey?, directory: String) {
        var prev = start == 0 ? AuditRecord.zeroHash : record(lines[start - 1]).hash
        for i in start..<lines.count {
            let old = record(lines[i])
            var detail = old.detail
            if old.isCheckpoint, let checkpointKey {
                detail = try! AuditSigning.checkpointDetail(seq: old.seq, prev: prev, key: checkpointKey,
                                                            reason: old.detail["reason"]!,
                                                            recordsSinceLast: Int(old.detail["records"]!)!)
            }
            let new = AuditRecord(seq: old.seq, time: old.time, actor: old.actor, role: old.role, action: old.action,
                                  outcome: old.outcome, detail: detail, prev: prev)
            lines[i] = AuditRecordCodec.render(new)
            prev = new.hash
        }
        if let headKey {
            let last = record(lines[lines.count - 1])
            try! AuditHead.signed(seq: last.seq, hash: last.hash, key: headKey).write(directory: directory)
        }
    }

    /// Replaces one record's detail and re-hashes that record only.
    static func rewrite(_ line: [UInt8], detail: [String: String]) -> [UInt8] {
        let old = record(line)
        let new = AuditRecord(seq: old.seq, time: old.time, actor: old.actor, role: old.role, action: old.action,
                              outcome: old.outcome, detail: detail, prev: old.prev)
        return AuditRecordCodec.render(new)
    }

    static func verify(_ directory: String, _ key: P256.Signing.PrivateKey) -> AuditVerification {
        try! AuditLog.verify(directory: directory, publicKey: key.publicKey)
    }
}
