import Crypto
import Foundation
import Testing

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

@testable import ExchangeAudit
@testable import ExchangeProtocol
@testable import ExchangeRuntime

/// Several `AuditLog` instances on one directory, each with its own descriptors — as `serve` and
/// short CLI commands on one node home are. `flock` locks belong to open file descriptions, so two
/// instances in one process exclude each other exactly as two processes do.
@Suite("Audit log: several writers on one directory")
struct AuditSharedLogTests {
    typealias Support = AuditTestSupport

    /// Takes the log lock through a descriptor of its own, as another process would.
    private struct ForeignWriter {
        let fd: Int32

        init(_ directory: String) {
            fd = open(directory + "/" + AuditFileLock.fileName, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
            precondition(fd >= 0)
            precondition(flock(fd, LOCK_EX) == 0)
        }

        func release() {
            flock(fd, LOCK_UN)
            Glibc.close(fd)
        }
    }

    @Test("two instances appending alternately continue one chain, with shared checkpoints and no recovery records")
    func alternating() throws {
        let directory = Support.temporaryDirectory()
        let key = P256.Signing.PrivateKey()
        let serve = try AuditLog(directory: directory, signingKey: key, checkpointEvery: 10)
        let cli = try AuditLog(directory: directory, signingKey: key, checkpointEvery: 10)
        for n in 0..<25 {
            serve.append(Support.event(n, actor: "member-s"))
            #expect(serve.lastSeq == cli.lastSeq + 1)  // cli caught up with serve before its own append
            cli.append(Support.event(n, actor: "member-c"))
        }
        try cli.close()
        serve.append(Support.event(99, actor: "member-s"))
        try serve.close()
        #expect(serve.failureCount == 0 && cli.failureCount == 0)

        let v = Support.verify(directory, key)
        #expect(v.problem == nil)
        #expect(v.recoveries.isEmpty)
        // 51 records; an interval checkpoint after every 10 of the chain (whoever wrote them: here
        // always cli, after the 10th, 20th, ... 50th); cli's close finds one at the end already;
        // serve's close adds one after record 51.
        #expect(v.records == 51 + 5 + 1)
        let records = Support.lines(directory).map(Support.record)
        let checkpoints = records.filter(\.isCheckpoint)
        #expect(checkpoints.map { $0.detail["reason"] } == ["interval", "interval", "interval", "interval", "interval", "close"])
        #expect(checkpoints.prefix(5).allSatisfy { $0.detail["records"] == "10" })
        #expect(records.filter { $0.actor == "member-c" }.map { $0.detail["fromSeq"]! } == (0..<25).map(String.init))
        #expect(records.filter { $0.actor == "member-s" }.map { $0.detail["fromSeq"]! } == (0..<25).map(String.init) + ["99"])
        #expect(v.headSeq == v.lastSeq)
    }

    @Test("three instances, two tasks each, appending and flushing at once keep one valid chain")
    func concurrentInstances() async throws {
        let directory = Support.temporaryDirectory()
        let key = P256.Signing.PrivateKey()
        let logs = try (0..<3).map { _ in try AuditLog(directory: directory, signingKey: key, checkpointEvery: 64) }
        await withTaskGroup(of: Void.self) { group in
            for (i, log) in logs.enumerated() {
                for task in 0..<2 {
                    group.addTask {
                        for n in 0..<400 {
                            log.append(Support.event(n, actor: "member-\(i)-\(task)"))
                            if n % 50 == 49 { try? log.flush() }
                        }
                    }
                }
            }
        }
        for log in logs { try log.close() }
        #expect(logs.map(\.failureCount) == [0, 0, 0])
        let v = Support.verify(directory, key)
        #expect(v.problem == nil)
        #expect(v.recoveries.isEmpty)
        // 2400 records, a checkpoint after every 64 of them (37), one closing checkpoint (the
        // other two closes find a checkpoint at the end already).
        #expect(v.records == 2400 + 37 + 1)
        #expect(v.checkpointsVerified == 38)
        let records = Support.lines(directory).map(Support.record)
        for i in 0..<3 {
            for task in 0..<2 {
                let mine = records.filter { $0.actor == "member-\(i)-\(task)" }
                #expect(mine.map { $0.detail["fromSeq"]! } == (0..<400).map(String.init))
            }
        }
    }

    @Test("a writer still open elsewhere is not 'not closed'; one dropped without close is reported once")
    func notClosedPerWriter() throws {
        let directory = Support.temporaryDirectory()
        let key = P256.Signing.PrivateKey()
        let serve = try AuditLog(directory: directory, signingKey: key)
        serve.append(Support.event(1, actor: "member-s"))
        do {
            let revoke = try AuditLog(directory: directory, signingKey: key)  // serve is open: nothing to report
            revoke.append(Support.event(2, actor: "member-r"))
            try revoke.close()
        }
        do {
            let killed = try AuditLog(directory: directory, signingKey: key)
            killed.append(Support.event(3, actor: "member-k"))
            try killed.flush()
        }  // dropped without close, as a killed process
        let next = try AuditLog(directory: directory, signingKey: key)
        next.append(Support.event(4, actor: "member-n"))
        try next.close()
        let again = try AuditLog(directory: directory, signingKey: key)  // already reported: not again
        try again.close()
        serve.append(Support.event(5, actor: "member-s"))
        try serve.close()

        let v = Support.verify(directory, key)
        #expect(v.problem == nil)
        #expect(v.recoveries.map(\.findings) == [[.notClosed]])
        #expect(v.recoveries.first?.writersNotClosed == 1)
        let report = v.reportLines
        #expect(report.first?.hasPrefix("intact:") == true)
        #expect(report.contains { $0.hasSuffix("not-closed (1 writer(s) ended without closing)") })
        let markers = try FileManager.default.contentsOfDirectory(atPath: directory + "/" + AuditWriterMarker.directoryName)
        #expect(markers.isEmpty)
    }

    @Test("a torn line left by a writer that died mid-write is cut off by the next writer to take the lock")
    func tornByAnotherWriter() throws {
        let directory = Support.temporaryDirectory()
        let key = P256.Signing.PrivateKey()
        let serve = try AuditLog(directory: directory, signingKey: key)
        for n in 1...5 { serve.append(Support.event(n)) }
        // Another process takes the lock, writes the first 60 bytes of the next record and dies.
        let last = Support.record(Support.lines(directory).last!)
        let next = AuditRecord(seq: last.seq + 1, time: ISO8601.format(millis: NodeClock.nowMillis()), actor: "member-k", role: .peer, action: "revoke",
                               outcome: .ok, detail: [:], prev: last.hash)
        let torn = Array(AuditRecordCodec.render(next).prefix(60))
        let crashed = ForeignWriter(directory)
        let handle = try #require(FileHandle(forWritingAtPath: Support.logPath(directory)))
        handle.seekToEndOfFile()
        handle.write(Data(torn))
        try handle.close()
        crashed.release()

        serve.append(Support.event(6))
        try serve.close()
        let v = Support.verify(directory, key)
        #expect(v.problem == nil)
        #expect(v.tornTailBytes == 0)
        #expect(v.recoveries == [AuditRecovery(seq: last.seq + 1, findings: [.tornTail], tornBytes: 60, logSeq: last.seq)])
        let setAside = try FileManager.default.contentsOfDirectory(atPath: directory).filter { $0.hasPrefix("recovered-tail-") }
        #expect(setAside.count == 1)
    }

    @Test("an append waits while another process holds the lock")
    func appendWaitsForTheLock() async throws {
        let directory = Support.temporaryDirectory()
        let key = P256.Signing.PrivateKey()
        let log = try AuditLog(directory: directory, signingKey: key)
        let sizeBefore = Support.lines(directory).count
        let other = ForeignWriter(directory)
        let done = DispatchSemaphore(value: 0)
        Thread.detachNewThread {
            log.append(Support.event(1))
            done.signal()
        }
        #expect(done.wait(timeout: .now() + .milliseconds(300)) == .timedOut)
        #expect(Support.lines(directory).count == sizeBefore)
        other.release()
        #expect(done.wait(timeout: .now() + .seconds(10)) == .success)
        #expect(log.lastSeq == 1)
        try log.close()
        #expect(Support.verify(directory, key).isIntact)
    }

    @Test("records cut off while a writer has the log open are reported when it next takes the lock")
    func cutWhileOpen() throws {
        let directory = Support.temporaryDirectory()
        let key = P256.Signing.PrivateKey()
        let serve = try AuditLog(directory: directory, signingKey: key)
        for n in 1...10 { serve.append(Support.event(n)) }
        try serve.flush()  // the head vouches for seq 10
        for n in 11...15 { serve.append(Support.event(n)) }
        var lines = Support.lines(directory)
        lines.removeLast(3)  // seq 13...15: after the head, so only the writer can know
        Support.write(lines, to: directory)

        serve.append(Support.event(16))
        try serve.close()
        let v = Support.verify(directory, key)
        #expect(v.problem?.kind == .truncated)
        #expect(v.problem?.seq == 13)
        #expect(v.recoveries.map(\.findings) == [[.changedWhileOpen]])
    }

    @Test("a log replaced at its path while open is followed, and the change reported")
    func replacedWhileOpen() throws {
        let directory = Support.temporaryDirectory()
        let key = P256.Signing.PrivateKey()
        let serve = try AuditLog(directory: directory, signingKey: key)
        for n in 1...4 { serve.append(Support.event(n)) }
        try FileManager.default.moveItem(atPath: Support.logPath(directory), toPath: directory + "/old.log")
        serve.append(Support.event(5))
        try serve.close()
        let records = Support.lines(directory).map(Support.record)
        #expect(records.first?.action == AuditAction.recovered.rawValue)  // the new file starts with the finding
        let v = Support.verify(directory, key)
        #expect(v.problem?.kind == .truncated)
        #expect(v.recoveries.first?.findings.contains(.changedWhileOpen) == true)
    }
}
