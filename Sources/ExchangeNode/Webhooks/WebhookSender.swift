import AsyncHTTPClient
import Foundation
import NIOCore
import NIOHTTP1

/// POSTs signed batches to the member's endpoints (system trust roots for https; no redirects followed).
final class WebhookSender: Sendable {
    /// What one attempt came to. `failure` is a short class of error, never a response body.
    enum Outcome: Sendable, Equatable {
        case acknowledged
        case failure(String)
    }

    let http: HTTPClient
    let timeout: TimeAmount

    init(timeout: TimeAmount = .seconds(10)) {
        var configuration = HTTPClient.Configuration()
        configuration.timeout = .init(connect: .seconds(5), read: timeout)
        configuration.redirectConfiguration = .disallow
        configuration.httpVersion = .http1Only
        http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
        self.timeout = timeout
    }

    func shutdown() async {
        try? await http.shutdown()
    }

    /// One delivery attempt: 2xx within the timeout acknowledges; anything else fails. Cancellation
    /// (a stop) propagates as CancellationError, so the batch is not taken as delivered.
    func send(_ body: [UInt8], to registration: WebhookRegistration, signer: WebhookSigner,
              now: Int64 = Int64(Date().timeIntervalSince1970)) async throws(CancellationError) -> Outcome {
        var request = HTTPClientRequest(url: registration.url)
        request.method = .POST
        request.headers.add(name: "Content-Type", value: "application/json")
        request.headers.add(name: "User-Agent", value: "exchange-node-webhooks/1")
        request.headers.add(name: WebhookSigner.webhookHeader, value: registration.id)
        request.headers.add(name: WebhookSigner.timestampHeader, value: String(now))
        request.headers.add(name: WebhookSigner.signatureHeader, value: signer.signature(timestamp: now, body: body))
        request.body = .bytes(ByteBuffer(bytes: body))
        do {
            let response = try await http.execute(request, timeout: timeout)
            // The answer's body is read (so the connection can be reused) and dropped.
            _ = try? await response.body.collect(upTo: 1 << 16)
            let code = Int(response.status.code)
            return (200..<300).contains(code) ? .acknowledged : .failure("http \(code)")
        } catch {
            if Task.isCancelled { throw CancellationError() }
            return .failure(Self.describe(error))
        }
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? HTTPClientError {
            switch error {
            case .deadlineExceeded, .readTimeout, .connectTimeout: return "timeout"
            default: return "http client: \(error)"
            }
        }
        let text = String(describing: error)
        if text.contains("connectionRefused") || text.contains("Connection refused") { return "connection refused" }
        return String(text.prefix(200))
    }
}
