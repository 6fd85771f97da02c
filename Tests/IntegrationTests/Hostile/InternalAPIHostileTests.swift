import AllianceTestSupport
import Foundation
import Testing

/// Hostile requests on the internal API (the member's own systems call it with the bearer token):
/// malformed, truncated, deeply nested, oversized and wrongly typed screening requests are refused with a
/// JSON error, nothing is recorded, identifiers are never echoed, and the listener keeps serving.
@Suite("Hostile: internal API")
struct InternalAPIHostileTests {
    /// POSTs `body` (from a file, so size is no problem) to /v1/screen with the token; returns (status, body).
    static func screen(_ node: HostileServedNode, body: [UInt8], token: String? = nil) async throws -> (status: Int, body: String) {
        let file = try node.alliance.write(body, to: "screen-\(UUID().uuidString.prefix(6)).json")
        let bearer = try token ?? node.alpha.internalToken()
        return try await internalCall(node, ["-H", "Authorization: Bearer \(bearer)", "-H", "Content-Type: application/json",
                                             "--data-binary", "@\(file.path)", node.alpha.internalURL + "/v1/screen"])
    }

    static func internalCall(_ node: HostileServedNode, _ arguments: [String]) async throws -> (status: Int, body: String) {
        let result = try await node.alliance.curl(["--write-out", "\n%{http_code}"] + arguments)
        guard let newline = result.stdout.lastIndex(of: "\n"), let status = Int(result.stdout[result.stdout.index(after: newline)...]) else {
            throw HarnessError("curl failed: \(result)")
        }
        return (status, String(result.stdout[..<newline]))
    }

    @Test("truncated, nested, oversized and mistyped /v1/screen bodies are refused; nothing is recorded")
    func hostileScreeningRequests() async throws {
        let node = try await HostileServedNode.start("internal")
        defer { node.alliance.shutdown() }
        let valid = #"{"items":[{"ref":"r1","kind":"phone","identifier":"13900000001"}]}"#
        let nested = "{\"items\":" + String(repeating: "[", count: 100_000) + String(repeating: "]", count: 100_000) + "}"
        let deepObject = String(repeating: "{\"a\":", count: 50_000) + "1" + String(repeating: "}", count: 50_000)
        var tooMany = "{\"items\":["
        tooMany += (0..<10_001).map { #"{"ref":"r\#($0)","kind":"phone","identifier":"139"}"# }.joined(separator: ",")
        tooMany += "]}"
        let cases: [(String, [UInt8], Set<Int>)] = [
            ("empty body", [], [400]),
            ("truncated JSON", Array(valid.utf8.prefix(40)), [400]),
            ("every prefix-cut of a valid body (one sample)", Array(valid.utf8.dropLast(2)), [400]),
            ("not JSON", Array("items=13900000001".utf8), [400]),
            ("invalid UTF-8", [0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d], [400]),
            ("a NUL byte", Array(valid.utf8.prefix(20)) + [0] + Array(valid.utf8.dropFirst(20)), [400]),
            ("100 000 nested arrays", Array(nested.utf8), [400]),
            ("50 000 nested objects", Array(deepObject.utf8), [400]),
            ("wrong types", Array(#"{"items":[{"ref":1,"kind":["phone"],"identifier":{"x":1}}]}"#.utf8), [400]),
            ("items not an array", Array(#"{"items":"13900000001"}"#.utf8), [400]),
            ("bad as_of", Array(#"{"items":[],"as_of":"2026-13-45"}"#.utf8), [400]),
            ("10 001 items", Array(tooMany.utf8), [413]),
            ("5 MiB body", Array(#"{"items":[],"pad":""#.utf8) + [UInt8](repeating: 0x61, count: 5 << 20) + Array(#""}"#.utf8), [413]),
        ]
        for (what, body, statuses) in cases {
            let reply = try await Self.screen(node, body: body)
            #expect(statuses.contains(reply.status), "\(what): \(reply.status) \(reply.body.prefix(200))")
            #expect(reply.body.hasPrefix("{\"error\":") || reply.body.isEmpty, "\(what): \(reply.body.prefix(200))")
            #expect(!reply.body.contains("13900000001"), "\(what): the identifier is echoed")
        }
        #expect(node.server.isRunning, "the internal listener died")
        #expect(try FaultStore(node.alpha).outbox().isEmpty, "a refused request queued outbox records")
        #expect(try FaultStore(node.alpha).matchLines().isEmpty, "a refused request recorded matches")

        // A rejected identifier is named by ref and reason, never echoed.
        let rejected = try await Self.screen(node, body: Array(#"{"items":[{"ref":"bad-1","kind":"phone","identifier":"1390000000123456"}]}"#.utf8))
        #expect(rejected.status == 200 && rejected.body.contains("\"ref\":\"bad-1\""), "\(rejected)")
        #expect(!rejected.body.contains("1390000000123456") && !rejected.body.contains("13900000001"), "\(rejected.body)")
        // The valid request still works afterwards.
        let ok = try await Self.screen(node, body: Array(valid.utf8))
        #expect(ok.status == 200 && ok.body.contains("\"matches\":["), "\(ok)")

        // Prometheus metrics (no token needed): counts of what was screened, never an identifier or a ref.
        let metrics = try await Self.internalCall(node, [node.alpha.internalURL + "/metrics"])
        #expect(metrics.status == 200, "\(metrics)")
        #expect(metrics.body.contains("# TYPE exchange_node_screened_accounts_total counter"), "\(metrics.body.prefix(400))")
        let screened = metrics.body.split(separator: "\n").first { $0.hasPrefix("exchange_node_screened_accounts_total ") }
        #expect(screened.flatMap { Int($0.split(separator: " ").last ?? "") }.map { $0 >= 2 } == true, "\(metrics.body.prefix(400))")
        #expect(metrics.body.contains("exchange_node_audit_records_total"), "the audit log's swift-metrics counters are not exported")
        for secret in ["13900000001", "1390000000123456", "bad-1"] {
            #expect(!metrics.body.contains(secret), "/metrics holds \(secret)")
        }
    }

    @Test("bad tokens are 401 and malformed outbox parameters are 400")
    func tokenAndOutboxParameters() async throws {
        let node = try await HostileServedNode.start("outbox")
        defer { node.alliance.shutdown() }
        let token = try node.alpha.internalToken()
        let url = node.alpha.internalURL
        for bad in ["", "x", String(token.dropLast()), token + "x", String(repeating: "a", count: 100_000)] {
            let reply = try await Self.internalCall(node, ["-H", "Authorization: Bearer \(bad)", url + "/v1/outbox?after=0"])
            // A 100 000-character header may be cut off by the HTTP parser before the token check: any refusal will do.
            #expect(reply.status == 401 || (bad.count > 50_000 && reply.status != 200), "token of \(bad.count) chars: \(reply.status)")
        }
        let noHeader = try await Self.internalCall(node, [url + "/v1/outbox?after=0"])
        #expect(noHeader.status == 401)
        for query in ["after=abc", "after=-", "limit=-1", "limit=0", "limit=abc", "after=99999999999999999999"] {
            let reply = try await Self.internalCall(node, ["-H", "Authorization: Bearer \(token)", url + "/v1/outbox?\(query)"])
            #expect(reply.status == 400, "outbox?\(query): \(reply)")
        }
        let ack = try await Self.internalCall(node, ["-X", "POST", "-H", "Authorization: Bearer \(token)", url + "/v1/outbox/ack?through=abc"])
        #expect(ack.status == 400, "\(ack)")
        #expect(node.server.isRunning)
        #expect(try FaultStore(node.alpha).outboxCursor("default") == 0)
    }
}
