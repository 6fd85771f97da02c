import AllianceTestSupport
import ExchangeRuntime
import Foundation
import Testing

/// Hostile requests on every peer endpoint of a real node over mTLS (as a configured peer, so they pass
/// authentication): each gets a 4xx with a JSON error or a closed connection, the listener keeps serving,
/// and nothing is stored.
@Suite("Hostile: peer endpoints")
struct PeerEndpointHostileTests {
    static let endpoints = ["/v1/health", "/v1/feed?after=0", "/v1/digest"]

    @Test("X-Exchange-Protocol other than 1 is answered 400 on every peer endpoint")
    func wrongProtocolVersion() async throws {
        let node = try await HostileServedNode.start("version")
        defer { node.alliance.shutdown() }
        for endpoint in Self.endpoints {
            let ok = try await node.peerGET(endpoint, headers: ["X-Exchange-Protocol: 1"])
            #expect(ok.status == 200, "\(endpoint) with version 1: \(ok)")
            for version in ["9", "0", "1.0", "abc"] {
                let refused = try await node.peerGET(endpoint, headers: ["X-Exchange-Protocol: \(version)"])
                #expect(refused.status == 400, "\(endpoint) with version \(version): \(refused)")
                #expect(refused.body.contains("protocol version \(version) is not supported"), "\(refused.body)")
            }
        }
        try await node.expectStillServing()
    }

    @Test("malformed or out-of-range feed parameters are 400, never a crash (after=2^64-1 used to kill the listener)")
    func malformedFeedParameters() async throws {
        let node = try await HostileServedNode.start("params")
        defer { node.alliance.shutdown() }
        let before = try FaultStore(node.alpha).entryLines()
        let hostile = [
            "after=18446744073709551615", "after=9223372036854775808", "after=-1", "after=abc", "after=",
            "after=1e3", "limit=0", "limit=-5", "limit=abc", "limit=100000000000000000000000",
        ]
        for query in hostile {
            let reply = try await node.peerGET("/v1/feed?\(query)")
            #expect(reply.status == 400, "\(query): \(reply)")
            #expect(reply.body.hasPrefix("{\"error\":"), "\(query): \(reply.body)")
        }
        // The largest accepted cursor and an over-large limit (clamped) are fine.
        #expect(try await node.peerGET("/v1/feed?after=9223372036854775807").status == 200)
        #expect(try await node.peerGET("/v1/feed?after=0&limit=99999999").status == 200)
        try await node.expectStillServing()
        #expect(try FaultStore(node.alpha).entryLines() == before)
    }

    @Test("garbage, truncated, oversized and wrong-method requests get a 4xx or a closed connection")
    func malformedHTTP() async throws {
        let node = try await HostileServedNode.start("http")
        defer { node.alliance.shutdown() }
        let ca = node.alliance.path("CA")
        let port = node.alpha.peerPort
        func send(_ bytes: [UInt8], halfClose: Bool = false) async throws -> String {
            let answer = try await RawTLSClient.exchange(port: port, caDirectory: ca, member: "beta", bytes: bytes, halfClose: halfClose)
            return String(decoding: answer.prefix(200), as: UTF8.self)
        }
        func expectNoSuccess(_ answer: String, _ what: String) {
            #expect(!answer.hasPrefix("HTTP/1.1 2"), "\(what) was answered \(answer)")
        }

        let garbage = try await send((0..<4096).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) })
        expectNoSuccess(garbage, "4 KiB of binary garbage")
        let notHTTP = try await send(Array("HELLO /v1/feed?after=0 SMTP/9\r\n\r\n".utf8))
        expectNoSuccess(notHTTP, "a request line that is not HTTP")
        let truncated = try await send(Array("GET /v1/feed?after=0 HTTP/1.1\r\nHost: a\r\nX-Exch".utf8), halfClose: true)
        expectNoSuccess(truncated, "a request head cut off mid-header")
        let hugeHeader = try await send(Array("GET /v1/feed?after=0 HTTP/1.1\r\nHost: a\r\nX-Big: \(String(repeating: "a", count: 1 << 20))\r\n\r\n".utf8))
        expectNoSuccess(hugeHeader, "a 1 MiB header")
        let hugeURL = try await send(Array("GET /v1/feed?after=0&pad=\(String(repeating: "9", count: 1 << 20)) HTTP/1.1\r\nHost: a\r\n\r\n".utf8))
        expectNoSuccess(hugeURL, "a 1 MiB request target")
        let badLength = try await send(Array("GET /v1/feed?after=0 HTTP/1.1\r\nHost: a\r\nContent-Length: -5\r\n\r\n".utf8))
        expectNoSuccess(badLength, "a negative Content-Length")
        let body = try node.alliance.write([UInt8](repeating: 0x7b, count: 10 << 20), to: "post-body.bin")
        let post = try await node.alliance.curl(
            node.alliance.identity("beta") + ["--write-out", "\n%{http_code}", "--data-binary", "@\(body.path)", node.alpha.peerURL + "/v1/feed"])
        #expect(!post.stdout.hasSuffix("\n200"), "POST to the feed: \(post)")
        let unknown = try await node.peerGET("/v1/../../etc/passwd")
        #expect(unknown.status == 404 || unknown.status == 403 || unknown.status == 400, "\(unknown)")

        try await node.expectStillServing()
    }
}
