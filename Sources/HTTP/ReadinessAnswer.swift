import Hummingbird

/// `GET /v1/ready` on a node's or the coordinator's internal listener: `200 {"checks":[...],"reasons":[],
/// "status":"ready"}` when every check passed, else `503` with `"status":"not-ready"` and one reason per
/// failed check (and per stale peer). No credential is needed and nothing names a member's data: the
/// reasons name checks, member ids and ages.
package struct ReadinessAnswer: Encodable, Sendable, ResponseGenerator {
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

    /// The checks that were made.
    package let checks: [String]
    package let reasons: [Reason]

    package init(checks: [String], reasons: [Reason]) {
        self.checks = checks
        self.reasons = reasons
    }

    package var isReady: Bool { reasons.isEmpty }

    enum CodingKeys: String, CodingKey {
        case status, checks, reasons
    }

    package func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        try container.encode(isReady ? "ready" : "not-ready", forKey: .status)
        try container.encode(checks, forKey: .checks)
        try container.encode(reasons, forKey: .reasons)
    }

    /// Through the context's JSON encoder, with 200 or 503.
    package func response(from request: Request, context: some RequestContext) throws -> Response {
        var response = try context.responseEncoder.encode(self, from: request, context: context)
        response.status = isReady ? .ok : .serviceUnavailable
        return response
    }
}
