import AllianceHTTP
import Foundation
import Hummingbird
import HTTPTypes
import NIOCore

/// Answers of the internal API as values: JSON through the alliance's one answer encoder
/// (``AllianceHTTP/JSONAnswerEncoder``), and the other media types the contract names (NDJSON, YAML,
/// Prometheus text).
enum APIResponse {
    static func json<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> Response {
        guard let data = try? JSONAnswerEncoder.bytes(value) else {
            // Encoding our own answer types cannot fail; if it ever did, say so in the documented shape.
            return text(#"{"code":"internal","error":"cannot encode the answer"}"#, type: "application/json",
                        status: .internalServerError)
        }
        return Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }

    static func text(_ text: String, type: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: [.contentType: type], body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}
