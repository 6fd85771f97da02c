import Crypto
import Foundation
import Testing

@testable import ExchangeAudit
@testable import ExchangeProtocol
@testable import ExchangeRuntime

@Suite("Audit log: record format")
struct AuditFormatTests {
    @Test("a record survives render and parse, escapes included")
    func roundTrip() {
        let record = AuditRecord(seq: 42, time: "2026-11-23T19:49:00.123Z", actor: "local", role: .operator,
                                 action: "appeal.file", outcome: .refused,
                                 detail: ["b": "quote\" back\\slash\nline\u{01}", "a": "é中", "c": ""],
                                 prev: Array(repeating: 7, count: 32))
        let line = AuditRecordCodec.render(record)
        #expect(line.last == 0x0a)
        let text = String(decoding: line, as: UTF8.self)
        #expect(text.hasPrefix(#"{"seq":42,"time":"2026-11-23T19:49:00.123Z","actor":"local","role":"operator","action":"appeal.file","outcome":"refused","detail":{"a":"é中","b":"quote\" back\\slash\nline\u0001","c":""},"prev":"0707"#))
        let parsed = AuditRecordCodec.parse(line.dropLast())
        #expect(parsed == record)
        #expect(parsed?.hashIsConsistent == true)
        #expect(AuditRecordCodec.seq(of: line) == 42)
    }

    @Test("the hash does not depend on detail insertion order and covers every field")
    func hashCoversFields() {
        let prev = AuditRecord.zeroHash
        func make(seq: UInt64 = 1, time: String = "t", actor: String = "a", role: AuditRole = .peer, action: String = "x",
                  outcome: AuditOutcome = .ok, detail: [String: String] = ["k": "v", "j": "w"], prev: [UInt8] = prev) -> [UInt8] {
            AuditRecord(seq: seq, time: time, actor: actor, role: role, action: action, outcome: outcome, detail: detail, prev: prev).hash
        }
        let base = make()
        #expect(make(detail: ["j": "w", "k": "v"]) == base)
        let variants = [make(seq: 2), make(time: "u"), make(actor: "b"), make(role: .local), make(action: "y"),
                        make(outcome: .error), make(detail: ["k": "v"]), make(detail: ["k": "vj", "": "w"]),
                        make(prev: Array(repeating: 1, count: 32))]
        for variant in variants { #expect(variant != base) }
        // Length prefixes: moving a character between adjacent fields changes the hash.
        #expect(make(actor: "ab", role: .peer, action: "x") != make(actor: "a", role: .peer, action: "bx"))
    }

    @Test("lines that are not canonical records are refused by the parser", arguments: [
        "", "{}", #"{"seq":1}"#, #"{"seq":-1,"time":"t","actor":"a","role":"peer","action":"x","outcome":"ok","detail":{},"prev":"","hash":""}"#,
        #"{"seq":1,"time":"t","actor":"a","role":"boss","action":"x","outcome":"ok","detail":{},"prev":"00","hash":"00"}"#,
    ])
    func refused(line: String) {
        #expect(AuditRecordCodec.parse(Array(line.utf8)) == nil)
    }
}
