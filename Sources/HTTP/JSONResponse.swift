import Foundation
import HTTPTypes
import Hummingbird
import NIOCore

/// JSON responses, and the `{"error": "..."}` body every refusal carries.
package enum JSONResponse {
    package static func error(_ status: HTTPResponse.Status, _ message: String) -> Response {
        (try? JSONAnswerEncoder.bytes(ErrorBody(message))).map { bytes(ByteBuffer(bytes: $0), status: status) }
            ?? json("{\"error\":\"cannot encode the answer\"}", status: .internalServerError)
    }

    package static func json(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        bytes(ByteBuffer(string: text), status: status)
    }

    private static func bytes(_ buffer: ByteBuffer, status: HTTPResponse.Status) -> Response {
        Response(status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: buffer))
    }

    package static func encode<T: Encodable>(_ value: T, status: HTTPResponse.Status = .ok) -> Response {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        guard let data = try? encoder.encode(value) else { return error(.internalServerError, "cannot encode response") }
        return Response(status: status, headers: [.contentType: "application/json"],
                        body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
