import Foundation
import Hummingbird
import HTTPTypes
import NIOCore

/// A refusal or failure of the internal API: `{"error": MESSAGE, "code": CODE}` with a stable code
/// (docs/openapi.yaml, `Error`). The message never carries an identifier.
struct APIError: Error, ResponseGenerator, Sendable {
    enum Code: String, Sendable, Codable {
        case malformedRequest = "malformed-request"
        case unauthorized
        case notFound = "not-found"
        case methodNotAllowed = "method-not-allowed"
        case tooManyItems = "too-many-items"
        case bodyTooLarge = "body-too-large"
        case `internal`

        var status: HTTPResponse.Status {
            switch self {
            case .malformedRequest: .badRequest
            case .unauthorized: .unauthorized
            case .notFound: .notFound
            case .methodNotAllowed: .methodNotAllowed
            case .tooManyItems, .bodyTooLarge: .contentTooLarge
            case .internal: .internalServerError
            }
        }
    }

    struct Body: Codable, Sendable {
        let error: String
        let code: Code
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
