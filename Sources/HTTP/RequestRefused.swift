import HTTPTypes
import Hummingbird

/// A request refused with a status and an ``ErrorBody``: thrown by a handler or a middleware, it is
/// answered through the context's response encoder like any other value.
package struct RequestRefused: HTTPResponseError, Sendable {
    package let status: HTTPResponse.Status
    package let body: ErrorBody

    package init(_ status: HTTPResponse.Status, _ message: String) {
        self.status = status
        body = ErrorBody(message)
    }

    package func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try body.response(from: request, context: context)
        response.status = status
        return response
    }
}
