import AllianceTestSupport
import Foundation

/// One line of `screen` output: a match of one account against one alliance entry.
struct E2EScreenMatch: Decodable, Sendable {
    let ref: String
    let kind: String
    let origin: String
    let entry_id: String
    let list: String
    let category: String
    let severity: Int
    let listed_on: String
    let expires_on: String
    let measures: [String]

    /// Decodes JSON lines (blank lines ignored).
    static func decodeLines(_ text: String) throws -> [E2EScreenMatch] {
        try text.split(separator: "\n").map { try JSONDecoder().decode(E2EScreenMatch.self, from: Data($0.utf8)) }
    }
}
