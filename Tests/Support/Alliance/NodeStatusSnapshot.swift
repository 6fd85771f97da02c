import Foundation

/// `exchange-node status --json`, the part the tests compare.
package struct NodeStatusSnapshot: Decodable, Sendable, Equatable {
    /// One row of the counts table.
    package struct Count: Decodable, Sendable, Hashable {
        package let origin: String
        package let list: String
        package let category: String
        package let status: String
        package let entries: Int
    }

    package let member: String
    package let entries: Int
    package let tokens: Int
    package let counts: [Count]
    package let cursors: [String: Int64]

    /// Entries of `origin`, summed over lists and categories (and statuses, unless one is given).
    package func entries(from origin: String, status: String? = nil) -> Int {
        counts.filter { $0.origin == origin && (status == nil || $0.status == status) }.reduce(0) { $0 + $1.entries }
    }

    package static func decode(_ result: ProcessResult) throws -> NodeStatusSnapshot {
        guard result.succeeded else { throw HarnessError("status failed: \(result)") }
        return try JSONDecoder().decode(NodeStatusSnapshot.self, from: Data(result.stdout.utf8))
    }
}
