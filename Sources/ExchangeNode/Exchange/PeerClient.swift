import AsyncHTTPClient
import ExchangeProtocol
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL

/// Calls peers' (and the coordinator's) mTLS endpoints with the node's alliance certificate.
public final class PeerClient: Sendable {
    public static let protocolHeader = "X-Exchange-Protocol"
    public static let protocolVersion = "1"

    let http: HTTPClient
    let timeout: TimeAmount

    public init(tls: TLSConfiguration, timeout: TimeAmount = .seconds(30)) {
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.timeout = .init(connect: .seconds(5), read: timeout)
        configuration.httpVersion = .http1Only
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.timeout = timeout
    }

    public func shutdown() async {
        try? await http.shutdown()
    }

    /// GET or POST; returns the status and body (at most `limit` bytes).
    public func call(
        _ method: HTTPMethod, _ url: String, body: [UInt8]? = nil, contentType: String = "application/json",
        limit: Int = 1 << 20
    ) async throws(NodeError) -> (status: Int, body: [UInt8]) {
        var request = HTTPClientRequest(url: url)
        request.method = method
        request.headers.add(name: Self.protocolHeader, value: Self.protocolVersion)
        if let body {
            request.headers.add(name: "Content-Type", value: contentType)
            request.body = .bytes(ByteBuffer(bytes: body))
        }
        do {
            // One deadline for the whole exchange: AsyncHTTPClient's own deadline stops at the response head,
            // and its idle read timeout never fires for a peer that trickles the body a byte at a time.
            let deadline = ContinuousClock.now.advanced(by: .nanoseconds(timeout.nanoseconds))
            let response = try await http.execute(request, timeout: timeout)
            let buffer = try await withThrowingTaskGroup(of: ByteBuffer?.self) { group in
                group.addTask { try await response.body.collect(upTo: limit) }
                group.addTask {
                    try await Task.sleep(until: deadline, clock: .continuous)
                    return nil
                }
                defer { group.cancelAll() }
                guard let first = try await group.next(), let body = first else { throw BodyDeadlineExceeded() }
                return body
            }
            return (Int(response.status.code), Array(buffer.readableBytesView))
        } catch let error as BodyDeadlineExceeded {
            throw .peer(member: url, reason: error.description)
        } catch let error as HTTPClientError {
            throw .peer(member: url, reason: "HTTP client", underlying: error)
        } catch let error as NIOSSLError {
            throw .peer(member: url, reason: "TLS", underlying: error)
        } catch {
            throw .peer(member: url, reason: "request failed", underlying: error)
        }
    }

    /// The response body did not arrive in full within the request's timeout.
    struct BodyDeadlineExceeded: Error, CustomStringConvertible {
        var description: String { "the response body did not arrive within the timeout" }
    }
}
