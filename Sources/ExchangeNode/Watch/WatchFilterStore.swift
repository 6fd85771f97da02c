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
        filter.version = try WatchState.version(db)
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
        guard let blockBits = try WatchState.get(db, blockBitsKey) else { return try rebuild(db) }
        let written = (try WatchState.get(db, keysKey) ?? 0) + Int64(keys.count)
        var filter = WatchIndexFilter(blockBits: Int(blockBits))
        guard written <= Int64(filter.capacity) * 3 / 2 else { return try rebuild(db) }

        // Only the blocks the keys fall in are read and written back. Keys come in index order, so a
        // block's keys are mostly consecutive.
        let read = try RawStatement(db, "SELECT bits FROM watch_filter WHERE block = ?")
        var touched = Set<Int>()
        var last = -1
        for key in keys {
            let block = filter.block(domain: key.domain, fingerprint: key.fingerprint)
            if block != last, touched.insert(block).inserted {
                read.bind(1, Int64(block))
                if try read.step() { _ = read.withBlob(0) { filter.setBlock(block, from: $0) } }
                read.reset()
            }
            last = block
            filter.insert(domain: key.domain, fingerprint: key.fingerprint)
        }
        try write(filter, blocks: touched.sorted(), db)
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
        let filter = try WatchIndexFilter.build(db)
        try save(filter, keys: try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM watch_index") ?? 0, db)
    }

    /// Replaces the stored filter with `filter`, which holds `keys` keys.
    private static func save(_ filter: WatchIndexFilter, keys: Int, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM watch_filter")
        try write(filter, blocks: Array(0..<filter.blocks), db)
        try WatchState.set(db, blockBitsKey, Int64(filter.blockBits))
        try WatchState.set(db, keysKey, Int64(keys))
    }

    private static func write(_ filter: WatchIndexFilter, blocks: [Int], _ db: Database) throws {
        let upsert = try RawStatement(db, """
            INSERT INTO watch_filter (block, bits) VALUES (?, ?) ON CONFLICT (block) DO UPDATE SET bits = excluded.bits
            """)
        var bytes = [UInt8](repeating: 0, count: WatchIndexFilter.blockBytes)
        for block in blocks {
            bytes.withUnsafeMutableBytes { out in
                for (offset, word) in filter.block(block).enumerated() {
                    out.storeBytes(of: word.littleEndian, toByteOffset: offset * 8, as: UInt64.self)
                }
            }
            upsert.bind(1, Int64(block))
            upsert.bind(2, blob: bytes)
            try upsert.run()
        }
    }
}

/// A key of `watch_index` as the filter sees it.
struct WatchFilterKey: Sendable {
    let domain: Int64
    let fingerprint: Int64
}
