import Hummingbird

/// `GET /v1/ready` on a node's or the coordinator's internal listener: `200 {"status":"ready","checks":[...]}`
/// when every check passed, else `503 {"status":"not-ready","checks":[...],"reasons":[...]}` with one reason
/// per failed check (and per stale peer). No credential is needed and nothing names a member's data: the
/// reasons name checks, member ids and ages.
package struct ReadinessAnswer: ResponseGenerator, Sendable {
    /// One failed check.
    package struct Reason: Codable, Sendable, Equatable {
        /// `store`, `keys`, `certificate`, `feed-recovery`, `peer-sync`, `revocation-list`, `token-keys`.
        package let check: String
        /// The peer concerned, for `peer-sync`.
        package let member: String?
        package let detail: String

        package init(check: String, member: String? = nil, detail: String) {
            self.check = check
            self.member = member
            self.detail = detail
        }
    }

    struct Body: Codable, Sendable, ResponseEncodable {
        let status: String
        /// The checks that were made.
        let checks: [String]
        let reasons: [Reason]
    }

    package let checks: [String]
    package let reasons: [Reason]

    package init(checks: [String], reasons: [Reason]) {
        self.checks = checks
        self.reasons = reasons
    }

    package var isReady: Bool { reasons.isEmpty }

    package func response(from request: Request, context: some RequestContext) throws -> Response {
        let body = Body(status: isReady ? "ready" : "not-ready", checks: checks, reasons: reasons)
        var response = try body.response(from: request, context: context)
        response.status = isReady ? .ok : .serviceUnavailable
        return response
    }
}
