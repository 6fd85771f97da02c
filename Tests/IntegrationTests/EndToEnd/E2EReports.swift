import AllianceTestSupport
import Foundation

/// `exchange-node status --json`, the part the end-to-end tests compare.
struct NodeStatusSnapshot: Decodable, Sendable {
    /// One row of the counts table.
    struct Count: Decodable, Sendable, Hashable {
        let origin: String
        let list: String
        let category: String
        let status: String
        let entries: Int
    }

    let member: String
    let entries: Int
    let tokens: Int
    let counts: [Count]
    let cursors: [String: Int]

    /// Entries of `origin` with the given status, summed over lists and categories.
    func entries(from origin: String, status: String = "active") -> Int {
        counts.filter { $0.origin == origin && $0.status == status }.reduce(0) { $0 + $1.entries }
    }

    static func decode(_ result: ProcessResult) throws -> NodeStatusSnapshot {
        guard result.succeeded else { throw HarnessError("status failed: \(result)") }
        return try JSONDecoder().decode(NodeStatusSnapshot.self, from: Data(result.stdout.utf8))
    }
}

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

/// One line of the internal API's `GET /v1/outbox`.
struct E2EOutboxLine: Decodable, Sendable {
    /// The queued record; only the fields the tests look at.
    struct Record: Decodable, Sendable {
        let type: String
        let ref: String?
        let origin: String?
        let entry_id: String?
        let reason: String?
    }

    let seq: Int
    let record: Record

    static func decodeLines(_ text: String) throws -> [E2EOutboxLine] {
        try text.split(separator: "\n").map { try JSONDecoder().decode(E2EOutboxLine.self, from: Data($0.utf8)) }
    }
}
