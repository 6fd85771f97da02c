import ExchangeCrypto
import ExchangeProtocol
import Foundation
import GRDB

/// The in-memory screening index: for every token of every active entry, its 64-bit prefix and the
/// entry's row id, in two sorted parallel arrays — 12 bytes per token and nothing per entry.
/// A prefix hit is only a candidate: ``EntryResolver`` confirms it against the full 32-byte token
/// and reads the entry's metadata from the store (hits are rare, so this costs little).
public struct TokenIndex: Sendable {
    private var fingerprints: [UInt64] = []
    private var rows: [UInt32] = []
    /// `directory[p]` is the first position whose fingerprint's top `directoryBits` bits are ≥ p:
    /// one lookup replaces the first ~20 steps of a binary search (fingerprints are uniform).
    private var directory: [UInt32] = [0, 0]
    private var directoryBits = 0

    public var tokenCount: Int { fingerprints.count }

    /// One (origin, key epoch) pair the indexed entries use, and whether entries of it were kept
    /// without their tokens (an epoch retired after its deadline, docs/membership.md, 1.6).
    struct OriginEpoch: Hashable, Sendable {
        let origin: String
        let epoch: UInt32
        let stripped: Bool
    }

    /// The pairs the active entries of the indexed scheme use, read in the index's own pass over
    /// `entries` (``KeyedEpochCoverage`` needs them; one pass instead of a second scan with a GROUP BY).
    private(set) var originEpochs: Set<OriginEpoch> = []

    /// Indexes the tokens of active entries of `scheme` — of one `epoch` (the keyed-hash key in
    /// use), or of every epoch (the pairwise scheme, whose origins each have their own key epoch;
    /// its stored tokens are the locally re-masked values).
    public static func load(from store: NodeStore, scheme: TokenSchemeID, epoch: UInt32?) throws(NodeError) -> TokenIndex {
        try store.read { db in try load(db, scheme: scheme, epoch: epoch) }
    }

    /// The same in a caller's transaction.
    static func load(_ db: Database, scheme: TokenSchemeID, epoch: UInt32?) throws -> TokenIndex {
        var index = TokenIndex()
        // The entries that count, as a bitmap of row ids (one sequential pass over `entries`)...
        var active = RowBitmap()
        let entries = try GRDB.Row.fetchCursor(db, sql: """
            SELECT id, origin, epoch, (index_tokens IS NOT NULL AND length(index_tokens) = 0)
            FROM entries WHERE status = 1 AND scheme = ? AND (? IS NULL OR epoch = ?)
            """, arguments: [Int64(scheme.code), epoch.map { Int64($0) }, epoch.map { Int64($0) }])
        var last: OriginEpoch?
        while let row = try entries.next() {
            let rowID: Int64 = row[0]
            if rowID > 0, rowID <= Int64(UInt32.max) { active.insert(UInt32(rowID)) }
            let pair = OriginEpoch(origin: row[1], epoch: UInt32(truncatingIfNeeded: row[2] as Int64), stripped: row[3])
            if pair != last {
                index.originEpochs.insert(pair)
                last = pair
            }
        }
        // ...then `entry_tokens` in its key order (token, entry), which is also the index's order:
        // by 64-bit prefix, then row. SQLite walks the primary key; nothing is sorted here.
        var fingerprints: [UInt64] = []
        var rows: [UInt32] = []
        let tokens = try GRDB.Row.fetchCursor(db, sql: "SELECT token, entry FROM entry_tokens ORDER BY token, entry")
        while let row = try tokens.next() {
            let rowID: Int64 = row[1]
            guard rowID > 0, rowID <= Int64(UInt32.max), active.contains(UInt32(rowID)) else { continue }
            let prefix: UInt64? = try row.withUnsafeData(atIndex: 0) { data in
                guard let data, data.count >= 8 else { return nil }
                return data.withUnsafeBytes { UInt64(bigEndian: $0.loadUnaligned(as: UInt64.self)) }
            }
            guard let prefix else { continue }
            fingerprints.append(prefix)
            rows.append(UInt32(rowID))
        }
        index.fingerprints = fingerprints
        index.rows = rows
        index.buildDirectory()
        return index
    }

    /// About one directory slot per token (at most 2^24 slots, 4 bytes each).
    private mutating func buildDirectory() {
        var bits = 1
        while bits < 24, (1 << bits) < fingerprints.count { bits += 1 }
        directoryBits = bits
        var table = [UInt32](repeating: 0, count: (1 << bits) + 1)
        var position = 0
        for prefix in 0...(1 << bits) {
            while position < fingerprints.count, Int(fingerprints[position] >> UInt64(64 - bits)) < prefix { position += 1 }
            table[prefix] = UInt32(position)
        }
        directory = table
    }

    /// Calls `body` with the row id of every entry that may hold `token` (same 64-bit prefix).
    @inline(__always)
    public func forEachCandidate(for token: Token, _ body: (UInt32) -> Void) {
        let key = token.fingerprint
        guard !fingerprints.isEmpty else { return }
        let slot = Int(key >> UInt64(64 - directoryBits))
        var lower = Int(directory[slot])
        var upper = Int(directory[slot + 1])
        while lower < upper {
            let middle = (lower + upper) &>> 1
            if fingerprints[middle] < key { lower = middle + 1 } else { upper = middle }
        }
        while lower < fingerprints.count, fingerprints[lower] == key {
            body(rows[lower])
            lower += 1
        }
    }

    /// Row ids of the entries that may hold `token` (same 64-bit prefix).
    public func candidates(for token: Token) -> [UInt32] {
        var out: [UInt32] = []
        forEachCandidate(for: token) { out.append($0) }
        return out
    }

    /// Bytes held by the index arrays.
    public var residentBytes: Int { fingerprints.capacity * 8 + rows.capacity * 4 + directory.capacity * 4 }
}
