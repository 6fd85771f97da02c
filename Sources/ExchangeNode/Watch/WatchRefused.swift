import Hummingbird

/// A `POST /v1/watch` that registered nothing because some items are invalid: 400 with the usual
/// answer, `registered: 0` and the rejected items.
struct WatchRefused: HTTPResponseError, Sendable {
    let answer: WatchAnswer

    var status: HTTPResponse.Status { .badRequest }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try answer.response(from: request, context: context)
        response.status = status
        return response
    }
}
