import GRDB

/// The index filter kept in the store (table `watch_filter`, one 4 KiB row per block), in step with
/// `watch_index` in every transaction that inserts into it (``WatchIndexWriter``): a long run of probes
/// reads it in milliseconds instead of scanning the whole index (docs/watch.md, "Matching on arrival
/// at scale").
///
/// Deleted index rows (removed accounts, replaced domains) leave their bits: the filter only ever
/// holds more keys than the index, never fewer. It is rebuilt from a scan of the index when the keys
/// written since its last build pass 1.5 times what it is sized for (its false "maybe"s would grow
/// past a few percent), and after a compaction (which scans the index anyway).
enum WatchFilterStore {
    /// log2 of the stored filter's blocks; absent before the first build.
    static let blockBitsKey = "watch_filter_block_bits"
    /// Keys written into the stored filter since it was built (an upper bound of those it holds).
    static let keysKey = "watch_filter_keys"

    static let createSQL = "CREATE TABLE watch_filter (block INTEGER PRIMARY KEY, bits BLOB NOT NULL)"

    /// The stored filter, read in the caller's transaction; nil when none was built or a block is
    /// missing or damaged (a block read as zeros would hide keys: the probes then scan the index instead).
    static func load(_ db: Database) throws -> WatchIndexFilter? {
        guard let blockBits = try WatchState.get(db, blockBitsKey), (0...30).contains(blockBits) else { return nil }
        var filter = WatchIndexFilter(blockBits: Int(blockBits))
        let select = try RawStatement(db, "SELECT block, bits FROM watch_filter")
        defer { select.reset() }
        var blocks = 0
        while try select.step() {
            let block = Int(select.int64(0))
            guard select.withBlob(1, { filter.setBlock(block, from: $0) }) else { return nil }
            blocks += 1
        }
        return blocks == filter.blocks ? filter : nil
    }

    /// Adds the keys just written to `watch_index` (in the same transaction). `indexWasEmpty`: the index
    /// held no row before they were written, so they are all of it and the filter is built from them.
    static func add(_ keys: some Collection<WatchFilterKey>, indexWasEmpty: Bool, _ db: Database) throws {
        guard !keys.isEmpty else { return }
        if indexWasEmpty {
            var filter = WatchIndexFilter(sizedFor: keys.count)
            for key in keys { filter.insert(domain: key.domain, fingerprint: key.fingerprint) }
            return try save(filter, keys: keys.count, db)
        }
        guard let blockBits = try WatchState.get(db, blockBitsKey).map(Int.init) else { return try rebuild(db) }
        let written = (try WatchState.get(db, keysKey) ?? 0) + Int64(keys.count)
        guard written <= Int64((1 << blockBits) * WatchIndexFilter.keysPerBlock) * 3 / 2 else { return try rebuild(db) }

        // Only the blocks the keys fall in are read and written back (4 KiB each, never the whole filter).
        // Keys come in index order, so a block's keys are mostly consecutive. A block missing or damaged
        // cannot take keys in place (its other keys would be lost): the filter is built again instead.
        let read = try RawStatement(db, "SELECT bits FROM watch_filter WHERE block = ?")
        var blocks: [Int: [UInt64]] = [:]
        var current = (block: -1, words: [UInt64]())
        for key in keys {
            let block = WatchIndexFilter.block(domain: key.domain, fingerprint: key.fingerprint, blockBits: blockBits)
            if block != current.block {
                if current.block >= 0 { blocks[current.block] = current.words }
                if let words = blocks.removeValue(forKey: block) {
                    current = (block, words)
                } else {
                    read.bind(1, Int64(block))
                    defer { read.reset() }
                    guard try read.step(), let words = read.withBlob(0, WatchIndexFilter.decodeBlock) else { return try rebuild(db) }
                    current = (block, words)
                }
            }
            WatchIndexFilter.insert(domain: key.domain, fingerprint: key.fingerprint, into: &current.words, blockStart: 0)
        }
        blocks[current.block] = current.words
        try write(blocks.sorted { $0.key < $1.key }.map { ($0.key, $0.value[...]) }, db)
        try WatchState.set(db, keysKey, written)
    }

    /// Whether the stored filter holds every key of the index (one scan), or there is no index.
    static func isInStep(_ db: Database) throws -> Bool {
        guard try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM watch_index)") ?? false else { return true }
        guard let filter = try load(db) else { return false }
        let select = try RawStatement(db, "SELECT domain, fingerprint FROM watch_index")
        defer { select.reset() }
        while try select.step() {
            if !filter.mayContain(domain: select.int64(0), fingerprint: select.int64(1)) { return false }
        }
        return true
    }

    /// Builds the filter again from every key of the index (a scan: about 3 s at 10^7 keys).
    static func rebuild(_ db: Database) throws {
        let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM watch_index") ?? 0
        try save(try WatchIndexFilter.build(db, count: count), keys: count, db)
    }

    /// Replaces the stored filter with `filter`, which holds `keys` keys.
    private static func save(_ filter: WatchIndexFilter, keys: Int, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM watch_filter")
        try write((0..<filter.blocks).map { ($0, filter.block($0)) }, db)
        try WatchState.set(db, blockBitsKey, Int64(filter.blockBits))
        try WatchState.set(db, keysKey, Int64(keys))
    }

    private static func write(_ blocks: [(index: Int, words: ArraySlice<UInt64>)], _ db: Database) throws {
        let upsert = try RawStatement(db, """
            INSERT INTO watch_filter (block, bits) VALUES (?, ?) ON CONFLICT (block) DO UPDATE SET bits = excluded.bits
            """)
        for block in blocks {
            upsert.bind(1, Int64(block.index))
            upsert.bind(2, blob: WatchIndexFilter.encodeBlock(block.words))
            try upsert.run()
        }
    }
}

/// A key of `watch_index` as the filter sees it.
struct WatchFilterKey: Sendable {
    let domain: Int64
    let fingerprint: Int64
}
