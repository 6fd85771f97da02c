import ExchangeProtocol

/// Why the coordinator refused a daily report. Descriptions name the field or the counter's
/// position (in ascending key order), never a value the node sent.
public enum ReportRefusal: Error, Sendable, Equatable, CustomStringConvertible {
    /// The body is not a report (JSON shape, field types, base64).
    case malformed(String)
    /// The report names another member than the certificate it came with.
    case memberMismatch
    /// The signature does not verify with the public key of the presented certificate.
    case badSignature
    /// `day` is not a real `YYYY-MM-DD` date.
    case invalidDay
    /// `day` is after tomorrow (UTC).
    case futureDay
    /// More counters than a report may hold.
    case tooManyCounters(Int)
    /// A counter name outside the vocabulary.
    case unknownCounter(position: Int)
    /// `matches.origin.<ID>` names no registered node.
    case unknownOrigin(position: Int)
    /// A value below 0 or above ``ReportVocabulary/maximumValue``.
    case valueOutOfRange(position: Int)
    /// The coordinator could not read its registry or write its store; the node retries later.
    case unavailable

    /// The HTTP status the refusal is answered with.
    public var status: Int {
        switch self {
        case .malformed: 400
        case .memberMismatch, .badSignature: 403
        case .invalidDay, .futureDay, .tooManyCounters, .unknownCounter, .unknownOrigin, .valueOutOfRange: 422
        case .unavailable: 503
        }
    }

    /// A short code for the audit log.
    public var code: String {
        switch self {
        case .malformed: "malformed"
        case .memberMismatch: "member-mismatch"
        case .badSignature: "bad-signature"
        case .invalidDay: "invalid-day"
        case .futureDay: "future-day"
        case .tooManyCounters: "too-many-counters"
        case .unknownCounter: "unknown-counter"
        case .unknownOrigin: "unknown-origin"
        case .valueOutOfRange: "value-out-of-range"
        case .unavailable: "unavailable"
        }
    }

    public var description: String {
        switch self {
        case .malformed(let why): "the body is not a daily report: \(why)"
        case .memberMismatch: "the report's member is not the member named in the client certificate"
        case .badSignature: "the report's signature does not verify with the client certificate's key"
        case .invalidDay: "day must be a real date written YYYY-MM-DD"
        case .futureDay: "day is in the future"
        case .tooManyCounters(let count):
            "the report holds \(count) counters; at most \(ReportVocabulary.maximumCounters) are accepted"
        case .unknownCounter(let position):
            "counter \(position) (in key order) is not in the reporting vocabulary (docs/coordinator.md)"
        case .unknownOrigin(let position):
            "counter \(position) (in key order) names an origin that is not a registered member"
        case .valueOutOfRange(let position):
            "counter \(position) (in key order) is not a count between 0 and \(ReportVocabulary.maximumValue)"
        case .unavailable: "the coordinator cannot store reports right now; try again later"
        }
    }
}
