import Foundation

/// `POST /v1/watch/remove`'s body: `{"refs":[REF]}`, each ref as `AccountItem` bounds it.
struct UnwatchRequest: Sendable {
    let refs: [String]

    private struct Body: Decodable {
        let refs: [String]
    }

    /// Decodes and checks a body; throws the documented 400 or 413.
    static func parse(_ body: [UInt8]) throws(APIError) -> UnwatchRequest {
        guard let decoded = try? JSONDecoder().decode(Body.self, from: Data(body)) else {
            throw APIError.malformed("body must be {\"refs\":[...]}")
        }
        guard decoded.refs.count <= ScreenRequest.maxItems else {
            throw APIError(.tooManyItems, "at most \(ScreenRequest.maxItems) refs per request")
        }
        for (index, ref) in decoded.refs.enumerated() {
            if let problem = AccountItem.refProblem(ref) { throw APIError.malformed("refs[\(index)]: \(problem)") }
        }
        return UnwatchRequest(refs: decoded.refs)
    }
}
