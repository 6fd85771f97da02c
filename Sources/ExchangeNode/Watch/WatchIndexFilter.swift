import GRDB

/// A Bloom filter over the `(domain, fingerprint)` keys of `watch_index`. A probe whose key the
/// filter does not hold is skipped: at a match rate of 1 %, 99 % of a long feed's probes cost one
/// memory read instead of a B-tree seek each (docs/watch.md, "Matching on arrival at scale").
///
/// It answers "maybe" for about 1 % of absent keys (then probed as before), never "no" for a key the
/// index holds. The store keeps one in step with the index (``WatchFilterStore``); a probe uses the
/// copy read at its own watch version (``WatchIndexFilters``).
///
/// Layout: blocks of 4 KiB (one stored row each), each of 64 lines of 64 bytes; a key sets 4 bits in
/// one line of one block, so a lookup reads one cache line. A key's block comes from the top bits of
/// its fingerprint (offset per domain), so keys written in index order fill the blocks in order.
struct WatchIndexFilter: Sendable {
    private(set) var words: [UInt64]
    /// log2 of the number of blocks.
    let blockBits: Int

    static let bitsPerKey = 12
    static let probes = 4
    static let blockBytes = 4096
    static let blockWords = blockBytes / 8
    static let lineWords = 8
    /// Keys a block is sized for (12 bits each).
    static let keysPerBlock = blockBytes * 8 / bitsPerKey

    /// An empty filter sized for `keys` keys (a power of two of blocks, at least one).
    init(sizedFor keys: Int) {
        var bits = 0
        while (1 << bits) * Self.keysPerBlock < keys { bits += 1 }
        self.init(blockBits: bits)
    }

    init(blockBits: Int) {
        self.blockBits = blockBits
        words = [UInt64](repeating: 0, count: (1 << blockBits) * Self.blockWords)
    }

    var blocks: Int { 1 << blockBits }
    /// The keys it can hold at its nominal 12 bits per key.
    var capacity: Int { blocks * Self.keysPerBlock }
    /// The memory the filter holds.
    var bytes: Int { words.count * 8 }

    /// Reads every key of the index, in the caller's transaction; `count` is the index's row count
    /// when the caller has it.
    static func build(_ db: Database, count: Int? = nil) throws -> WatchIndexFilter {
        var filter = WatchIndexFilter(sizedFor: try count ?? Int.fetchOne(db, sql: "SELECT COUNT(*) FROM watch_index") ?? 0)
        let select = try RawStatement(db, "SELECT domain, fingerprint FROM watch_index")
        defer { select.reset() }
        while try select.step() { filter.insert(domain: select.int64(0), fingerprint: select.int64(1)) }
        return filter
    }

    mutating func insert(domain: Int64, fingerprint: Int64) {
        let block = Self.block(domain: domain, fingerprint: fingerprint, blockBits: blockBits)
        Self.insert(domain: domain, fingerprint: fingerprint, into: &words, blockStart: block * Self.blockWords)
    }

    /// Sets the key's bits in the block that starts at `blockStart` in `words` (a whole filter, or one
    /// block on its own with `blockStart` 0).
    static func insert(domain: Int64, fingerprint: Int64, into words: inout [UInt64], blockStart: Int) {
        let mix = Self.mix(domain: domain, fingerprint: fingerprint)
        let base = blockStart + Int(mix & 63) * lineWords
        words.withUnsafeMutableBufferPointer { words in
            for probe in 0..<Self.probes {
                let bit = Self.bit(probe, of: mix)
                words[base + bit >> 6] |= 1 << UInt64(bit & 63)
            }
        }
    }

    /// False only when the index holds no row with this key.
    func mayContain(domain: Int64, fingerprint: Int64) -> Bool {
        let mix = Self.mix(domain: domain, fingerprint: fingerprint)
        let base = Self.block(domain: domain, fingerprint: fingerprint, blockBits: blockBits) * Self.blockWords
            + Int(mix & 63) * Self.lineWords
        return words.withUnsafeBufferPointer { words in
            for probe in 0..<Self.probes {
                let bit = Self.bit(probe, of: mix)
                if words[base + bit >> 6] & (1 << UInt64(bit & 63)) == 0 { return false }
            }
            return true
        }
    }

    /// The block a key's bits are in, among `1 << blockBits`.
    static func block(domain: Int64, fingerprint: Int64, blockBits: Int) -> Int {
        guard blockBits > 0 else { return 0 }
        let offset = UInt64(bitPattern: fingerprint) &+ UInt64(bitPattern: domain) &* 0x9E37_79B9_7F4A_7C15
        return Int(offset >> UInt64(64 - blockBits))
    }

    /// One block's words, to store.
    func block(_ index: Int) -> ArraySlice<UInt64> { words[index * Self.blockWords ..< (index + 1) * Self.blockWords] }

    /// Replaces one block's words with stored bytes; false when they are not one block long.
    mutating func setBlock(_ index: Int, from bytes: UnsafeRawBufferPointer) -> Bool {
        guard index >= 0, index < blocks, let block = Self.decodeBlock(bytes) else { return false }
        words.replaceSubrange(index * Self.blockWords ..< (index + 1) * Self.blockWords, with: block)
        return true
    }

    /// A stored block's words; nil when the bytes are not one block long.
    static func decodeBlock(_ bytes: UnsafeRawBufferPointer) -> [UInt64]? {
        guard bytes.count == blockBytes else { return nil }
        return (0..<blockWords).map { UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: $0 * 8, as: UInt64.self)) }
    }

    /// A block's words as stored (little-endian).
    static func encodeBlock(_ words: some Collection<UInt64>) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: blockBytes)
        bytes.withUnsafeMutableBytes { out in
            for (offset, word) in words.enumerated() { out.storeBytes(of: word.littleEndian, toByteOffset: offset * 8, as: UInt64.self) }
        }
        return bytes
    }

    /// The `probe`th of the key's 4 bit positions (0..<512) within its line.
    @inline(__always)
    private static func bit(_ probe: Int, of mix: UInt64) -> Int { Int((mix >> UInt64(6 + 9 * probe)) & 511) }

    /// A 64-bit mix of the key (fingerprints are already uniform; the mix spreads domains, and a crafted
    /// fingerprint costs a probe, never a miss). Its low 6 bits pick the line, the next 36 the bits.
    private static func mix(domain: Int64, fingerprint: Int64) -> UInt64 {
        var z = UInt64(bitPattern: fingerprint) ^ (UInt64(bitPattern: domain) &* 0xD1B5_4A32_D192_ED03)
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
