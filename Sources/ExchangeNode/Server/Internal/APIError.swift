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

    func response(from request: Request, context: some RequestContext) throws -> Response { response }

    var response: Response {
        var response = APIResponse.json(Body(error: message, code: code), status: code.status)
        for field in headers { response.headers.append(field) }
        return response
    }
}
