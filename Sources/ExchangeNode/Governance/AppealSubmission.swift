import ExchangeProtocol
import Foundation
import Hummingbird

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
