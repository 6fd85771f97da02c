import Crypto
import Foundation
import Testing

@testable import ExchangeAudit
@testable import ExchangeCrypto
@testable import ExchangeProtocol
@testable import ExchangeRuntime

@Suite("Audit log: crashes and reopening")
struct AuditRecoveryTests {
    typealias Support = AuditTestSupport

    /// Appends `count` events, flushes, and drops the log without closing it (as a kill would).
    private func crashedLog(_ directory: String, _ key: P256.Signing.PrivateKey, count: Int) throws {
        let log = try AuditLog(directory: directory, signingKey: key, checkpointEvery: 50)
        for n in 1...count { log.append(Support.event(n)) }
        try log.flush()
    }

    @Test("a torn last line is cut off on reopen, set aside, recorded, and reported by verify")
    func tornLastLine() throws {
        let directory = Support.temporaryDirectory()
        let key = P256.Signing.PrivateKey()
        try crashedLog(directory, key, count: 120)  // 120 records + 2 checkpoints = seq 122
        // The kill interrupted the write of record 123 half-way.
        let next = AuditRecord(seq: 123, time: ISO8601.format(millis: NodeClock.nowMillis()), actor: "member-b", role: .peer, action: "sync.serve",
                               outcome: .ok, detail: ["events": "3"], prev: Support.record(Support.lines(directory).last!).hash)
        let torn = Array(AuditRecordCodec.render(next).prefix(70))
        let handle = try #require(FileHandle(forWritingAtPath: Support.logPath(directory)))
        handle.seekToEndOfFile()
        handle.write(Data(torn))
        try handle.close()

        let before = Support.verify(directory, key)
        #expect(before.isIntact)  // the head vouches for seq 122 only
        #expect(before.tornTailBytes == 70)

        let log = try AuditLog(directory: directory, signingKey: key)
        #expect(log.lastSeq == 123)  // 122 + the audit.recovered record
        log.append(Support.event(500))
        try log.close()

        let after = Support.verify(directory, key)
        #expect(after.isIntact)
        #expect(after.tornTailBytes == 0)
        #expect(after.records == 125)
        #expect(after.recoveries == [AuditRecovery(seq: 123, findings: [.tornTail, .notClosed], tornBytes: 70, logSeq: 122,
                                                   writersNotClosed: 1)])
        let recovered = Support.record(Support.lines(directory)[122])
        #expect(recovered.action == "audit.recovered")
        #expect(recovered.role == .internal)
        #expect(recovered.detail["tornSha256"] == Hex.encode(SHA256.hash(data: torn)))
        let setAside = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix("recovered-tail-123-") }
        #expect(setAside.count == 1)
        #expect(FileManager.default.contents(atPath: directory + "/" + setAside[0]) == Data(torn))
    }

    @Test("a log killed before its first complete line starts a chain after recovery")
    func tornOnlyLine() throws {
        let directory = Support.temporaryDirectory()
        let key = P256.Signing.PrivateKey()
        FileManager.default.createFile(atPath: Support.logPath(directory), contents: Data(#"{"seq":1,"ti"#.utf8))
        let log = try AuditLog(directory: directory, signingKey: key)
        log.append(Support.event(1))
        try log.close()
        let v = Support.verify(directory, key)
        #expect(v.isIntact)
        #expect(v.recoveries.map(\.findings) == [[.tornTail]])
        #expect(v.records == 3)
    }

    @Test("a clean reopen adds no recovery record; an unclosed one notes it")
    func reopenings() throws {
        let directory = Support.temporaryDirectory()
        let key = P256.Signing.PrivateKey()
        do {
            let log = try AuditLog(directory: directory, signingKey: key)
            log.append(Support.event(1))
            try log.close()
        }
        do {
            let log = try AuditLog(directory: directory, signingKey: key)
            #expect(log.lastSeq == 2)
            log.append(Support.event(2))
            try log.flush()
        }
        let log = try AuditLog(directory: directory, signingKey: key)
        try log.close()
        let v = Support.verify(directory, key)
        #expect(v.isIntact)
        #expect(v.recoveries.map(\.findings) == [[.notClosed]])
        #expect(v.recoveries.first?.seq == 4)
    }

    @Test("records cut off while the node was down are reported even after the head is rewritten")
    func truncatedWhileDown() throws {
        let directory = Support.temporaryDirectory()
        let key = P256.Signing.PrivateKey()
        try crashedLog(directory, key, count: 60)  // seq 61 (one checkpoint at 51)
        var lines = Support.lines(directory)
        lines.removeLast(5)  // seq 57...61 gone
        Support.write(lines, to: directory)

        let log = try AuditLog(directory: directory, signingKey: key)
        log.append(Support.event(1))
        try log.close()  // the head now matches the shortened log
        let v = Support.verify(directory, key)
        #expect(v.problem?.kind == .truncated)
        #expect(v.problem?.seq == 57)
        #expect(v.recoveries.first?.findings.contains(.logBehindHead) == true)
    }

    @Test("records rewritten while the node was down are reported after reopening")
    func rewrittenWhileDown() throws {
        let directory = Support.temporaryDirectory()
        let key = P256.Signing.PrivateKey()
        try crashedLog(directory, key, count: 60)
        var lines = Support.lines(directory)
        var detail = Support.record(lines[55]).detail
        detail["events"] = "999"
        lines[55] = Support.rewrite(lines[55], detail: detail)
        Support.rechain(&lines, from: 56, checkpointKey: nil, headKey: nil, directory: directory)
        Support.write(lines, to: directory)

        let log = try AuditLog(directory: directory, signingKey: key)
        try log.close()
        let v = Support.verify(directory, key)
        #expect(v.problem?.kind == .edited)
        #expect(v.problem?.seq == 61)
        #expect(v.recoveries.first?.findings.contains(.headMismatch) == true)
    }

    @Test("a head deleted while the node was down is reported after reopening")
    func headDeletedWhileDown() throws {
        let directory = Support.temporaryDirectory()
        let key = P256.Signing.PrivateKey()
        try crashedLog(directory, key, count: 10)
        try FileManager.default.removeItem(atPath: directory + "/head")
        let log = try AuditLog(directory: directory, signingKey: key)
        try log.close()
        let v = Support.verify(directory, key)
        #expect(v.problem?.kind == .badHead)
        #expect(v.problem?.seq == 11)
    }

    @Test("a damaged last complete line stops the log from opening, and leaves the file alone")
    func corruptTail() throws {
        let directory = Support.temporaryDirectory()
        let key = P256.Signing.PrivateKey()
        try crashedLog(directory, key, count: 10)
        var lines = Support.lines(directory)
        lines[lines.count - 1][20] ^= 0x01
        Support.write(lines, to: directory)
        let before = FileManager.default.contents(atPath: Support.logPath(directory))
        #expect {
            try AuditLog(directory: directory, signingKey: key)
        } throws: { error in
            guard case .corruptTail? = error as? AuditError else { return false }
            return true
        }
        #expect(FileManager.default.contents(atPath: Support.logPath(directory)) == before)
    }

    @Test("appends after close fail and are counted; reserved actions are refused")
    func closedAndReserved() throws {
        let directory = Support.temporaryDirectory()
        let key = P256.Signing.PrivateKey()
        let log = try AuditLog(directory: directory, signingKey: key)
        log.append(AuditEvent(actor: "local", role: .operator, action: .checkpoint))
        log.append(AuditEvent(actor: "local", role: .operator, action: .recovered))
        #expect(log.failureCount == 2)
        #expect(log.lastSeq == 0)
        try log.close()
        log.append(Support.event(1))
        #expect(log.failureCount == 3)
        try log.close()  // a second close does nothing
        #expect(throws: AuditError.closed) { try log.flush() }
        #expect(Support.verify(directory, key).isIntact)
    }
}
