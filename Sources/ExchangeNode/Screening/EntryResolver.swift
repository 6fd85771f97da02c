import ExchangeCrypto
import ExchangeProtocol
import Foundation
import GRDB

/// Confirms index candidates against the full token and reads the matched entries' metadata,
/// for a whole batch of candidates in one read transaction.
public struct EntryResolver: Sendable {
    public struct Entry: Sendable, Equatable {
        public let origin: String
        public let entryID: String
        public let list: ListKind
        public let category: Category
        public let severity: Severity
        public let role: SubjectRole?
        public let listedOn: Day
        public let expiresOn: Day?

        /// listed_on ≤ day < expires_on.
        public func applies(on day: Day) -> Bool {
            listedOn <= day && (expiresOn.map { day < $0 } ?? true)
        }
    }

    public struct Candidate: Sendable {
        public let row: UInt32
        public let token: Token
        /// Only entries of this origin count (the pairwise scheme's per-origin lookups); nil for any.
        public let origin: String?
    }

    let store: NodeStore

    /// For each candidate, the entry if it is active and really holds the token.
    public func resolve(_ candidates: [Candidate]) throws(NodeError) -> [Entry?] {
        guard !candidates.isEmpty else { return [] }
        return try store.read { db in try Self.resolve(candidates, db) }
    }

    /// The same in a caller's transaction (the watch resolves inside the one that registers).
    static func resolve(_ candidates: [Candidate], _ db: Database) throws -> [Entry?] {
        let statement = try db.cachedStatement(sql: """
            SELECT e.origin, e.entry_id, e.list, e.category, e.severity, e.role, e.listed_on, e.expires_on
            FROM entries e JOIN entry_tokens t ON t.entry = e.id
            WHERE e.id = ? AND e.status = 1 AND t.token = ?
            LIMIT 1
            """)
        return try candidates.map { candidate -> Entry? in
            guard let row = try GRDB.Row.fetchOne(statement, arguments: [Int64(candidate.row), Data(candidate.token.bytes)]) else {
                return nil
            }
            let entry = Entry(row)
            if let origin = candidate.origin, origin != entry.origin { return nil }
            return entry
        }
    }
}

extension EntryResolver.Entry {
    /// From a row `origin, entry_id, list, category, severity, role, listed_on, expires_on`.
    init(_ row: GRDB.Row) {
        self.init(
            origin: row[0], entryID: row[1],
            list: ListKind(code: UInt8(row[2] as Int64)) ?? .black,
            category: Category(code: UInt8(row[3] as Int64)) ?? .brushing,
            severity: Severity(rawValue: Int(row[4] as Int64)) ?? .general,
            role: (row[5] as Int64?).flatMap { SubjectRole(code: UInt8($0)) },
            listedOn: Day(ordinal: Int32(row[6] as Int64)),
            expiresOn: (row[7] as Int64?).map { Day(ordinal: Int32($0)) })
    }
}
