import ExchangeCrypto
import ExchangeProtocol
import Foundation
import GRDB

/// The in-memory screening index: active entries of every origin, keyed by the first 128 bits of
/// their tokens in two sorted parallel arrays (20 bytes per token plus one record per entry).
/// A 128-bit prefix makes a false match practically impossible (about 2⁻¹⁰⁸ per lookup at 10⁶ tokens).
public struct TokenIndex: Sendable {
    public struct Entry: Sendable {
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

    public private(set) var entries: [Entry] = []
    private var high: [UInt64] = []
    private var low: [UInt64] = []
    private var owner: [UInt32] = []
    public let descriptor: TokenSchemeDescriptor

    public var tokenCount: Int { high.count }

    /// Builds the index of active entries whose tokens are under `descriptor`.
    public static func load(from store: NodeStore, descriptor: TokenSchemeDescriptor) throws(NodeError) -> TokenIndex {
        var index = TokenIndex(descriptor: descriptor)
        try store.read { db in
            var rowToEntry = [Int64: UInt32]()
            let entries = try GRDB.Row.fetchCursor(db, sql: """
                SELECT id, origin, entry_id, list, category, severity, role, listed_on, expires_on FROM entries
                WHERE status = 1 AND scheme = ? AND epoch = ?
                """, arguments: [Int64(descriptor.scheme.code), Int64(descriptor.epoch)])
            while let row = try entries.next() {
                rowToEntry[row[0]] = UInt32(index.entries.count)
                index.entries.append(Entry(
                    origin: row[1], entryID: row[2],
                    list: ListKind(code: UInt8(row[3] as Int64)) ?? .black,
                    category: Category(code: UInt8(row[4] as Int64)) ?? .brushing,
                    severity: Severity(rawValue: Int(row[5] as Int64)) ?? .general,
                    role: (row[6] as Int64?).flatMap { SubjectRole(code: UInt8($0)) },
                    listedOn: Day(ordinal: Int32(row[7] as Int64)),
                    expiresOn: (row[8] as Int64?).map { Day(ordinal: Int32($0)) }))
            }
            var keyed = [(UInt64, UInt64, UInt32)]()
            keyed.reserveCapacity(index.entries.count * 2)
            let tokens = try GRDB.Row.fetchCursor(db, sql: "SELECT entry, token FROM entry_tokens")
            while let row = try tokens.next() {
                guard let entry = rowToEntry[row[0]] else { continue }
                let blob: Data = row[1]
                guard blob.count == 32 else { continue }
                let token = blob.withUnsafeBytes { Token(unsafeBytes: $0) }
                keyed.append((token.w0, token.w1, entry))
            }
            keyed.sort { ($0.0, $0.1) < ($1.0, $1.1) }
            index.high = keyed.map(\.0)
            index.low = keyed.map(\.1)
            index.owner = keyed.map(\.2)
        }
        return index
    }

    init(descriptor: TokenSchemeDescriptor) { self.descriptor = descriptor }

    /// Calls `body` with the index of every entry holding `token`.
    public func forEachEntry(holding token: Token, _ body: (Int) -> Void) {
        var lowerBound = 0
        var upperBound = high.count
        while lowerBound < upperBound {
            let middle = (lowerBound + upperBound) / 2
            if (high[middle], low[middle]) < (token.w0, token.w1) { lowerBound = middle + 1 } else { upperBound = middle }
        }
        var position = lowerBound
        while position < high.count, high[position] == token.w0, low[position] == token.w1 {
            body(Int(owner[position]))
            position += 1
        }
    }

    /// Approximate resident bytes of the token arrays and entry records.
    public var residentBytes: Int {
        high.capacity * 8 + low.capacity * 8 + owner.capacity * 4
            + entries.capacity * MemoryLayout<Entry>.stride
            + entries.reduce(0) { $0 + ($1.origin.utf8.count > 15 ? $1.origin.utf8.count : 0) + ($1.entryID.utf8.count > 15 ? $1.entryID.utf8.count : 0) }
    }
}
