import ExchangeRuntime
import Foundation
import Hummingbird
import HTTPTypes
import NIOCore

/// A refusal or failure of the internal API: `{"error": MESSAGE, "code": CODE}` with a stable code
/// (docs/openapi.yaml, `Error`). The message never carries an identifier.
struct APIError: Error, ResponseGenerator, Sendable {
    enum Code: String, Sendable, Codable {
        case malformedRequest = "malformed-request"
        case rejectedItems = "rejected-items"
        case unauthorized
        case notFound = "not-found"
        case methodNotAllowed = "method-not-allowed"
        case tooManyItems = "too-many-items"
        case bodyTooLarge = "body-too-large"
        case `internal`

        var status: HTTPResponse.Status {
            switch self {
            case .malformedRequest, .rejectedItems: .badRequest
            case .unauthorized: .unauthorized
            case .notFound: .notFound
            case .methodNotAllowed: .methodNotAllowed
            case .tooManyItems, .bodyTooLarge: .contentTooLarge
            case .internal: .internalServerError
            }
        }
    }

    /// `{"error","code"}`, in that order (a refusal still starts `{"error":` as before codes existed).
    struct Body: Codable, Sendable, FieldOrderedJSON {
        let error: String
        let code: Code
        /// `rejected-items` only: the refused items.
        var rejected: [ScreenAnswer.Rejection]?

        func encode(to encoder: any Encoder) throws {
            var container = encoder.container(keyedBy: CodingKeys.self)
            try container.encode(error, forKey: .error)
            try container.encode(code, forKey: .code)
            if let rejected { try container.encode(rejected, forKey: .rejected) }
        }
    }

    let code: Code
    let message: String
    var headers: HTTPFields = [:]

    init(_ code: Code, _ message: String, headers: HTTPFields = [:]) {
        self.code = code
        self.message = message
        self.headers = headers
    }

    static func malformed(_ message: String) -> APIError { APIError(.malformedRequest, message) }

    /// A refusal some route wrote itself (`{"error"}`, or an answer with `rejected` items), in the contract's
    /// error shape: its message and rejected items kept, the code the status and content stand for.
    static func conforming(_ response: Response) async -> Response {
        let bytes = await ResponseBodyCollector.bytes(of: response.body)
        let object = (try? JSONSerialization.jsonObject(with: Data(bytes))) as? [String: Any] ?? [:]
        let rejected = (object["rejected"] as? [[String: Any]])?.compactMap { item -> ScreenAnswer.Rejection? in
            guard let ref = item["ref"] as? String, let reason = item["reason"] as? String else { return nil }
            return ScreenAnswer.Rejection(ref: ref, reason: reason)
        } ?? []
        let message = object["error"] as? String
        let code: Code
        switch response.status.code {
        case 400 where !rejected.isEmpty: code = .rejectedItems
        case 401: code = .unauthorized
        case 404: code = .notFound
        case 405: code = .methodNotAllowed
        case 413: code = (message ?? "").contains("per request") ? .tooManyItems : .bodyTooLarge
        case 400..<500: code = .malformedRequest
        default: code = .internal
        }
        let text = message ?? (rejected.isEmpty ? "refused" : "\(rejected.count) item\(rejected.count == 1 ? "" : "s") refused")
        var body = Body(error: text, code: code)
        if code == .rejectedItems { body.rejected = rejected }
        var answer = APIResponse.json(body, status: response.status)
        for field in response.headers where field.name != .contentType && field.name != .contentLength { answer.headers.append(field) }
        return answer
    }

    func response(from request: Request, context: some RequestContext) throws -> Response { response }

    var response: Response {
        var response = APIResponse.json(Body(error: message, code: code), status: code.status)
        for field in headers { response.headers.append(field) }
        return response
    }
}
