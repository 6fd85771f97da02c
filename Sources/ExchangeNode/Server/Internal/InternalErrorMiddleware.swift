import AllianceHTTP
import Hummingbird
import HTTPTypes
import Logging

/// The outermost middleware of the internal listener: a path it does not have is 404, a method a path
/// does not take is 405 with `Allow`, and any error a handler lets through is answered in the contract's
/// error shape (4xx for Hummingbird's own refusals, 500 otherwise) instead of an empty body.
struct InternalErrorMiddleware: RouterMiddleware {
    typealias Context = PlainRequestContext
    let routes: [InternalRoute]
    let logger: Logger

    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as APIError {
            return error.response
        } catch let error as HTTPError where error.status == .notFound {
            guard let methods = InternalRoute.methods(for: request.uri.path, in: routes) else {
                return APIError(.notFound, "no such route (see GET /openapi.yaml)").response
            }
            let allow = methods.map(\.rawValue).joined(separator: ", ")
            return APIError(.methodNotAllowed, "\(request.uri.path) takes \(allow)",
                            headers: [.allow: allow]).response
        } catch let error as HTTPError where error.status == .contentTooLarge {
            return APIError(.bodyTooLarge, "the body is larger than \(RequestBodyLimit.maxBytes) bytes").response
        } catch let error as HTTPError where (400..<500).contains(error.status.code) {
            return APIError(.malformedRequest, "malformed request (\(error.status.code))").response
        } catch let error as any HTTPResponseError {
            // A route's own refusal (`RequestRefused`, a JSON answer with a 4xx): the contract's shape.
            return await APIError.conforming(try error.response(from: request, context: context))
        } catch {
            logger.error("internal API request failed", metadata: ["path": "\(request.uri.path)", "error": "\(type(of: error))"])
            return APIError(.internal, "the node could not answer").response
        }
    }
}
