import AllianceHTTP
import Hummingbird

/// Bodies of the internal API are at most 4 MiB: a larger declared length is refused before it is read,
/// and a body that turns out larger is refused when it passes the limit (413, `body-too-large`).
struct RequestBodyLimit: RouterMiddleware {
    typealias Context = PlainRequestContext
    static let maxBytes = 4 << 20

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        if let length = request.headers[.contentLength].flatMap({ Int($0) }), length > Self.maxBytes {
            return APIError(.bodyTooLarge, "the body is larger than \(Self.maxBytes) bytes").response
        }
        var request = request
        do {
            _ = try await request.collectBody(upTo: Self.maxBytes)
        } catch let error as HTTPError where error.status == .contentTooLarge {
            return APIError(.bodyTooLarge, "the body is larger than \(Self.maxBytes) bytes").response
        }
        return try await next(request, context)
    }
}
