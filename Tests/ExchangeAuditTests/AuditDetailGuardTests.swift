import Crypto
import Foundation
import Testing

@testable import ExchangeAudit

@Suite("Audit log: no identifiers")
struct AuditDetailGuardTests {
    typealias Support = AuditTestSupport

    static let identifiers = [
        "13800138000", "+8613800138000", "008613800138000", "138-0013-8000", "11010519491231002X",
        "110105491231002", "6222020200112233446", "seller@example.com", "91350100M000100Y43",
        "91350100m000100y43", "entry:13800138000", "手机13800138000", "1 3 8 0 0 1 3 8 0 0 0",
    ]

    @Test("values shaped like identifiers are redacted", arguments: identifiers)
    func redactsValue(value: String) {
        #expect(!AuditDetailGuard.isSafeValue(value))
    }

    @Test("ordinary values pass", arguments: [
        "M3", "bad-signature", "sync.pull", "alibaba", "member-01", "12345", "0", "true",
        "550e8400-e29b-41d4-a716-446655440000", "10.0.0.12", "2026-11-23", "2026-11-23T19:49:00.123Z",
        String(repeating: "9f", count: 32), "alibaba#1234567", "batch:42",
    ])
    func keepsValue(value: String) {
        #expect(AuditDetailGuard.isSafeValue(value))
    }

    @Test("appending an event with identifiers writes none of them")
    func nothingReachesTheFile() throws {
        let directory = Support.temporaryDirectory()
        let key = P256.Signing.PrivateKey()
        let log = try AuditLog(directory: directory, signingKey: key)
        var detail: [String: String] = [:]
        for (i, value) in Self.identifiers.enumerated() { detail["v\(i)"] = value }
        detail["bad key"] = "1"
        detail["matches"] = "3"
        var event = AuditEvent(actor: "local", role: .local, action: .screen)
        event.detail = detail
        log.append(event)
        log.append(AuditEvent(actor: "13800138000", role: .peer, action: .request, outcome: .refused))
        log.append(AuditEvent(actor: "member-a", role: .peer, action: "Not An Action", outcome: .refused))
        try log.close()
        #expect(log.redactionCount == Self.identifiers.count + 1 + 1 + 1)
        let text = String(decoding: FileManager.default.contents(atPath: Support.logPath(directory))!, as: UTF8.self)
        for value in Self.identifiers { #expect(!text.contains(value)) }
        #expect(!text.contains("13800138000"))
        let records = Support.lines(directory).map(Support.record)
        #expect(records[0].detail["matches"] == "3")
        #expect(records[0].detail["droppedFields"] == "1")
        #expect(records[0].detail["v0"] == "redacted")
        #expect(records[1].actor == "redacted")
        #expect(records[2].action == "invalid-action")
        #expect(Support.verify(directory, key).isIntact)
    }

    @Test("typed constructors give the expected detail")
    func typedValues() {
        let event = AuditEvent(actor: "member-a", role: .peer, action: .syncServe, outcome: .ok, detail: [
            "events": .count(12), "fromSeq": .seq(7), "took": .millis(35), "reason": .code("ok"),
            "peer": .member("member-b"), "entry": .id("e-1"), "full": .flag(true), "file": .digest([0xab, 0x01]),
        ])
        #expect(event.detail == ["events": "12", "fromSeq": "7", "took": "35", "reason": "ok", "peer": "member-b",
                                 "entry": "e-1", "full": "true", "file": "ab01"])
        #expect(event.action == "sync.serve")
    }
}
