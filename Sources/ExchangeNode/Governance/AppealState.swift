import ExchangeProtocol
import Foundation
import Hummingbird

/// The JSON the origin answers `POST /v1/appeals` and `GET /v1/appeals/{id}` with (to the filer only).
struct AppealState: ResponseCodable, Sendable, Equatable {
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
