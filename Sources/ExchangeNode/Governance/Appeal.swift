import ExchangeProtocol
import Foundation

/// An objection (异议申诉) against one entry, filed by a member on behalf of a subject it matched.
/// It names the entry, never the subject: its only free text is the filer's evidence, checked by
/// ``FreeTextGuard``. Both ends keep a copy: the origin (`incoming`) decides it, the filer
/// (`outgoing`) polls the origin for the outcome.
package struct Appeal: Sendable, Equatable, Codable {
    package enum Status: String, Sendable, Codable, CaseIterable {
        case open
        case upheld
        case rejected
    }

    package enum Direction: String, Sendable, Codable {
        /// Filed against one of our entries; we decide it.
        case incoming
        /// We filed it at another member's node.
        case outgoing
    }

    /// Filer-generated UUID (lower-case).
    package var id: String
    var direction: Direction
    package var filer: String
    var origin: String
    var entryID: String
    var reason: String
    /// ISO 8601, as the filer stated it.
    var filedAt: String
    /// When the origin accepted it (milliseconds since 1970).
    var receivedAt: Int64
    /// The last day the origin may decide it in time.
    package var deadline: Day
    package var status: Status
    var decidedAt: Int64?
    var decision: String?

    /// Open past its deadline.
    func isOverdue(on today: Day) -> Bool { status == .open && today > deadline }

    /// `ORIGIN:ENTRY_ID`.
    package var entryReference: String { "\(origin):\(entryID)" }
}

/// The JSON body of `POST /v1/appeals`.
struct AppealSubmission: Codable, Sendable, Equatable {
    let appealID: String
    let entryID: String
    let reason: String
    let filedAt: String

    enum CodingKeys: String, CodingKey {
        case appealID = "appeal_id"
        case entryID = "entry_id"
        case reason
        case filedAt = "filed_at"
    }
}

/// The JSON the origin answers `POST /v1/appeals` and `GET /v1/appeals/{id}` with (to the filer only).
struct AppealState: Codable, Sendable, Equatable {
    let appealID: String
    let origin: String
    let entryID: String
    let status: Appeal.Status
    let deadline: Day
    let receivedAt: String
    let decidedAt: String?
    let decision: String?

    enum CodingKeys: String, CodingKey {
        case appealID = "appeal_id"
        case origin
        case entryID = "entry_id"
        case status, deadline
        case receivedAt = "received_at"
        case decidedAt = "decided_at"
        case decision
    }

    init(_ appeal: Appeal) {
        appealID = appeal.id
        origin = appeal.origin
        entryID = appeal.entryID
        status = appeal.status
        deadline = appeal.deadline
        receivedAt = ISO8601.format(millis: appeal.receivedAt)
        decidedAt = appeal.decidedAt.map(ISO8601.format(millis:))
        decision = appeal.decision
    }
}

/// Appeal ids are UUIDs; they are compared in lower case.
package enum AppealID {
    package static func make() -> String { UUID().uuidString.lowercased() }

    /// The lower-cased id, or nil when `text` is not a UUID.
    package static func normalise(_ text: String) -> String? {
        guard text.utf8.count == 36, let uuid = UUID(uuidString: text) else { return nil }
        return uuid.uuidString.lowercased()
    }
}
