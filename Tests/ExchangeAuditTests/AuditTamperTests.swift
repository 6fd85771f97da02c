import Crypto
import Foundation
import Testing

@testable import ExchangeAudit

@Suite("Audit log: tampering is detected")
struct AuditTamperTests {
    typealias Support = AuditTestSupport

    @Test("2500 records across three sessions verify, with signed checkpoints")
    func intact() throws {
        let (directory, key) = Support.fixtureCopy()
        let lines = Support.lines(directory)
        #expect(lines.count == 2504)  // 2500 records, 1 interval checkpoint, 3 closing checkpoints
        let v = Support.verify(directory, key)
        #expect(v.isIntact)
        #expect(v.records == 2504)
        #expect(v.checkpointsVerified == 4)
        #expect(v.lastCheckpointSeq == 2504)
        #expect(v.headSeq == 2504)
        #expect(v.recordsAfterHead == 0)
        #expect(v.recoveries.isEmpty)
        let checkpoints = lines.map(Support.record).filter(\.isCheckpoint)
        #expect(checkpoints.map(\.seq) == [1001, 1202, 2003, 2504])
        #expect(checkpoints.map { $0.detail["reason"] } == ["interval", "close", "close", "close"])
    }

    @Test("changing one byte in any field of a middle record is reported at that record")
    func oneByteInEachField() throws {
        let (directory, key) = Support.fixtureCopy()
        let original = Support.lines(directory)
        let index = 1499
        let line = original[index]
        #expect(Support.record(line).seq == 1500)
        // One byte inside each part of the line: seq, time, actor, role, action, outcome, a detail
        // key and value, prev, hash, the JSON punctuation and the final newline.
        let text = String(decoding: line, as: UTF8.self)
        var offsets = [0, 8, line.count - 1, line.count - 2]
        for marker in [#""time":"20"#, #""actor":"me"#, #""role":"pe"#, #""action":""#, #""outcome":""#,
                       #""detail":{""#, #""events":""#, #""prev":""#, #""hash":""#] {
            let range = try #require(text.range(of: marker))
            offsets.append(text.utf8.distance(from: text.startIndex, to: range.upperBound) - 1)
            offsets.append(text.utf8.distance(from: text.startIndex, to: range.upperBound))
        }
        for offset in offsets {
            var lines = original
            lines[index][offset] ^= 0x01
            Support.write(lines, to: directory)
            let problem = Support.verify(directory, key).problem
            #expect(problem?.seq == 1500, "byte \(offset)")
            #expect(problem?.kind == .edited, "byte \(offset)")
        }
    }

    @Test("changing any single byte of a record, whichever, is reported at that record")
    func everyByteOfOneRecord() throws {
        let directory = Support.temporaryDirectory()
        let key = P256.Signing.PrivateKey()
        let log = try AuditLog(directory: directory, signingKey: key)
        for n in 1...50 { log.append(Support.event(n)) }
        try log.close()
        let original = Support.lines(directory)
        #expect(original.count == 51)
        for index in [0, 25, 50] {  // the first record, a middle one, the last (the closing checkpoint)
            let seq = Support.record(original[index]).seq
            for offset in original[index].indices {
                var lines = original
                lines[index][offset] ^= 0x01
                Support.write(lines, to: directory)
                let problem = Support.verify(directory, key).problem
                #expect(problem?.seq == seq, "record \(seq), byte \(offset)")
                // The last record without its newline is an incomplete line that the signed head
                // vouches for: the log reads as cut short there.
                let expected: AuditProblemKind = index == 50 && offset == original[index].count - 1 ? .truncated : .edited
                #expect(problem?.kind == expected, "record \(seq), byte \(offset)")
            }
        }
    }

    @Test("an escape that decodes to the same text still counts as an edit")
    func nonCanonicalEscape() throws {
        let (directory, key) = Support.fixtureCopy()
        var lines = Support.lines(directory)
        let text = String(decoding: lines[99], as: UTF8.self)
        // "actor":"member-a" → "actor":"member\u002da": same value once parsed, different bytes.
        lines[99] = Array(text.replacingOccurrences(of: "\"member-a\"", with: "\"member\\u002da\"").utf8)
        #expect(Support.record(lines[99]).actor == "member-a")
        Support.write(lines, to: directory)
        let problem = Support.verify(directory, key).problem
        #expect(problem?.seq == 100)
        #expect(problem?.kind == .edited)
    }

    @Test("an edited record whose own hash was recomputed breaks the next link")
    func editedAndRehashed() throws {
        let (directory, key) = Support.fixtureCopy()
        var lines = Support.lines(directory)
        var detail = Support.record(lines[700]).detail
        detail["events"] = "0"
        lines[700] = Support.rewrite(lines[700], detail: detail)
        Support.write(lines, to: directory)
        let problem = Support.verify(directory, key).problem
        #expect(problem?.seq == 701)
        #expect(problem?.kind == .edited)
    }

    @Test("rewriting the whole chain after an edit, without the node key, fails at the next checkpoint")
    func rechainedWithoutKey() throws {
        let (directory, key) = Support.fixtureCopy()
        var lines = Support.lines(directory)
        var detail = Support.record(lines[700]).detail
        detail["events"] = "0"
        lines[700] = Support.rewrite(lines[700], detail: detail)
        Support.rechain(&lines, from: 701, checkpointKey: nil, headKey: nil, directory: directory)
        Support.write(lines, to: directory)
        let problem = Support.verify(directory, key).problem
        #expect(problem?.seq == 1001)
        #expect(problem?.kind == .badCheckpointSignature)
    }

    @Test("deleting a middle record is reported at its seq")
    func deleted() throws {
        let (directory, key) = Support.fixtureCopy()
        var lines = Support.lines(directory)
        lines.remove(at: 1799)
        Support.write(lines, to: directory)
        let problem = Support.verify(directory, key).problem
        #expect(problem?.seq == 1800)
        #expect(problem?.kind == .removed)
    }

    @Test("deleting a run of records, a checkpoint among them, is reported at the first")
    func deletedRun() throws {
        let (directory, key) = Support.fixtureCopy()
        var lines = Support.lines(directory)
        lines.removeSubrange(995..<1010)
        Support.write(lines, to: directory)
        let problem = Support.verify(directory, key).problem
        #expect(problem?.seq == 996)
        #expect(problem?.kind == .removed)
    }

    @Test("swapping two records is reported as reordered", arguments: [(300, 301), (300, 350), (1000, 1001)])
    func swapped(first: Int, second: Int) throws {
        let (directory, key) = Support.fixtureCopy()
        var lines = Support.lines(directory)
        lines.swapAt(first, second)
        Support.write(lines, to: directory)
        let problem = Support.verify(directory, key).problem
        #expect(problem?.seq == UInt64(first + 1))
        #expect(problem?.kind == .reordered)
    }

    @Test("a duplicated record is reported as reordered")
    func duplicated() throws {
        let (directory, key) = Support.fixtureCopy()
        var lines = Support.lines(directory)
        lines.insert(lines[400], at: 401)
        Support.write(lines, to: directory)
        let problem = Support.verify(directory, key).problem
        #expect(problem?.seq == 402)
        #expect(problem?.kind == .reordered)
    }

    @Test("cutting records off the end is caught by the signed head", arguments: [1, 3, 502])
    func truncatedTail(count: Int) throws {
        let (directory, key) = Support.fixtureCopy()
        var lines = Support.lines(directory)
        lines.removeLast(count)
        Support.write(lines, to: directory)
        let v = Support.verify(directory, key)
        #expect(v.problem?.kind == .truncated)
        #expect(v.problem?.seq == UInt64(2504 - count + 1))
    }

    @Test("cutting the end in the middle of a line is caught by the head too")
    func truncatedMidLine() throws {
        let (directory, key) = Support.fixtureCopy()
        var lines = Support.lines(directory)
        lines[lines.count - 1].removeLast(40)
        Support.write(lines, to: directory)
        let v = Support.verify(directory, key)
        #expect(v.problem?.kind == .truncated)
        #expect(v.problem?.seq == 2504)
        #expect(v.tornTailBytes > 0)
    }

    @Test("a deleted or forged head file is reported")
    func headDamaged() throws {
        let (directory, key) = Support.fixtureCopy()
        try FileManager.default.removeItem(atPath: directory + "/head")
        #expect(Support.verify(directory, key).problem?.kind == .badHead)

        // A head for a shorter log, signed by a key that is not the node's.
        var lines = Support.lines(directory)
        lines.removeLast(10)
        Support.write(lines, to: directory)
        let last = Support.record(lines[lines.count - 1])
        try AuditHead.signed(seq: last.seq, hash: last.hash, key: P256.Signing.PrivateKey()).write(directory: directory)
        let v = Support.verify(directory, key)
        #expect(v.problem?.kind == .badHead)
    }

    @Test("checkpoints do not verify with another node's key")
    func wrongVerificationKey() throws {
        let (directory, _) = Support.fixtureCopy()
        let v = Support.verify(directory, P256.Signing.PrivateKey())
        #expect(v.problem?.seq == 1001)
        #expect(v.problem?.kind == .badCheckpointSignature)
    }

    @Test("a checkpoint signed by a different key is detected even when everything else is re-signed")
    func checkpointByOtherKey() throws {
        let (directory, key) = Support.fixtureCopy()
        var lines = Support.lines(directory)
        let other = P256.Signing.PrivateKey()
        // Re-sign checkpoint 1202 with another key, then relink and re-sign everything after it
        // with the real key: only that checkpoint is wrong.
        let index = 1201
        let checkpoint = Support.record(lines[index])
        #expect(checkpoint.isCheckpoint)
        lines[index] = Support.rewrite(lines[index], detail: try AuditSigning.checkpointDetail(
            seq: checkpoint.seq, prev: checkpoint.prev, key: other, reason: "close", recordsSinceLast: 200))
        Support.rechain(&lines, from: index + 1, checkpointKey: key, headKey: key, directory: directory)
        Support.write(lines, to: directory)
        let v = Support.verify(directory, key)
        #expect(v.problem?.seq == 1202)
        #expect(v.problem?.kind == .badCheckpointSignature)
        #expect(v.problem?.explanation.contains("not supplied") == true)

        // The same forged signature, now claiming the node key's fingerprint.
        var detail = Support.record(lines[index]).detail
        detail["key"] = AuditSigning.fingerprint(key.publicKey)
        lines[index] = Support.rewrite(lines[index], detail: detail)
        Support.rechain(&lines, from: index + 1, checkpointKey: key, headKey: key, directory: directory)
        Support.write(lines, to: directory)
        let again = Support.verify(directory, key)
        #expect(again.problem?.seq == 1202)
        #expect(again.problem?.kind == .badCheckpointSignature)
        #expect(again.problem?.explanation.contains("does not verify") == true)

        // Control: with the checkpoint re-signed by the node key, the rebuilt log verifies.
        Support.rechain(&lines, from: index, checkpointKey: key, headKey: key, directory: directory)
        Support.write(lines, to: directory)
        #expect(Support.verify(directory, key).isIntact)
    }

    @Test("an earlier node key can be supplied for checkpoints it signed")
    func rotatedKey() throws {
        let (directory, oldKey) = Support.fixtureCopy()
        let newKey = P256.Signing.PrivateKey()
        let log = try AuditLog(directory: directory, signingKey: newKey)
        log.append(Support.event(1))
        try log.close()
        let onlyNew = Support.verify(directory, newKey)
        #expect(onlyNew.problem?.kind == .badCheckpointSignature)
        let both = try AuditLog.verify(directory: directory, publicKeys: [newKey.publicKey, oldKey.publicKey])
        #expect(both.isIntact)
        #expect(both.recoveries.count == 1)
        #expect(both.recoveries.first?.findings == [.headOtherKey])
        #expect(both.checkpointsVerified == 5)
    }
}
