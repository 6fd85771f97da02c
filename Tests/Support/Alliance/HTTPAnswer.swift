import AsyncHTTPClient
import NIOCore
import NIOHTTP1

/// One HTTP exchange for the tests: status and body, or the transport error.
package struct HTTPAnswer: Sendable, CustomStringConvertible {
    package let status: Int?
    package let body: String
    package let transportError: String?

    package var description: String { status.map { "HTTP \($0) \(body.prefix(160))" } ?? "transport error: \(transportError ?? "?")" }

    package static func fetch(_ client: HTTPClient, _ method: HTTPMethod, _ url: String, body: String? = nil,
                              headers: [(String, String)] = []) async -> HTTPAnswer {
        await fetch(client, method, url, bytes: body.map { Array($0.utf8) }, headers: headers)
    }

    package static func fetch(_ client: HTTPClient, _ method: HTTPMethod, _ url: String, bytes: [UInt8]?,
                              headers: [(String, String)] = []) async -> HTTPAnswer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let bytes {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(bytes: bytes))
        }
        do {
            let response = try await client.execute(request, timeout: .seconds(10))
            let buffer = try await response.body.collect(upTo: 64 << 20)
            return HTTPAnswer(status: Int(response.status.code), body: String(buffer: buffer), transportError: nil)
        } catch {
            return HTTPAnswer(status: nil, body: "", transportError: String(describing: error))
        }
    }
}
