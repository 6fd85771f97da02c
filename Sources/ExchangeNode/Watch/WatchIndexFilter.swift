import GRDB
import Synchronization

/// A Bloom filter over the `(domain, fingerprint)` keys of `watch_index` as they are at one watch
/// version (``WatchState``). A probe whose key the filter does not hold is skipped: at a match rate
/// of 1 %, 99 % of a long feed's probes cost a few memory reads instead of a B-tree seek each
/// (docs/watch.md, "Matching on arrival at scale").
///
/// The filter is exact for its version: every path that writes the index bumps the version, so it
/// is used only by a probe that reads the same version; it can answer "maybe" for a key that is
/// not there (about 1 % of absent keys, then probed as before), never "no" for one that is.
struct WatchIndexFilter: Sendable {
    /// The watch version the filter was read at.
    let version: Int64
    /// The number of keys it holds.
    let keys: Int
    private let words: [UInt64]
    private let bitMask: UInt64

    static let bitsPerKey = 12
    static let probes = 4

    /// Reads every key of the index, in the caller's read transaction (which fixes the version).
    static func build(_ db: Database) throws -> WatchIndexFilter {
        let version = try WatchState.version(db)
        let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM watch_index") ?? 0
        var bits: UInt64 = 64
        while bits < UInt64(max(1, count * bitsPerKey)) { bits <<= 1 }
        var words = [UInt64](repeating: 0, count: Int(bits / 64))
        let mask = bits - 1
        let select = try RawStatement(db, "SELECT domain, fingerprint FROM watch_index")
        defer { select.reset() }
        var keys = 0
        while try select.step() {
            let (first, step) = Self.hashes(domain: select.int64(0), fingerprint: select.int64(1))
            for index in 0..<UInt64(probes) {
                let bit = (first &+ index &* step) & mask
                words[Int(bit >> 6)] |= 1 << (bit & 63)
            }
            keys += 1
        }
        return WatchIndexFilter(version: version, keys: keys, words: words, bitMask: mask)
    }

    /// False only when the index holds no row with this key at ``version``.
    func mayContain(domain: Int64, fingerprint: Int64) -> Bool {
        let (first, step) = Self.hashes(domain: domain, fingerprint: fingerprint)
        for index in 0..<UInt64(Self.probes) {
            let bit = (first &+ index &* step) & bitMask
            if words[Int(bit >> 6)] & (1 << (bit & 63)) == 0 { return false }
        }
        return true
    }

    /// The memory the filter holds.
    var bytes: Int { words.count * 8 }

    /// The two hashes of double hashing (bit i = first + i × step), from a 64-bit mix of the key
    /// (fingerprints are already uniform; the mix spreads domains, and a crafted fingerprint costs a
    /// probe, never a miss).
    private static func hashes(domain: Int64, fingerprint: Int64) -> (first: UInt64, step: UInt64) {
        var z = UInt64(bitPattern: fingerprint) ^ (UInt64(bitPattern: domain) &* 0x9E37_79B9_7F4A_7C15)
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        z ^= z >> 31
        return (z, (z >> 32) | 1)
    }
}

/// The filters of the stores this process probes, and when to build one: after ``buildAfter`` probed
/// keys at one watch version (a long feed, a large import), never for the few keys of a routine round,
/// whose direct probes cost less than reading the whole index. A version change drops the filter; the
/// next long run of probes builds the new one.
final class WatchIndexFilters: Sendable {
    static let shared = WatchIndexFilters()
    static let defaultBuildAfter = 100_000

    private struct Slot {
        var version: Int64
        var probed = 0
        var filter: WatchIndexFilter?
        var building = false
    }

    private let slots = Mutex<[String: Slot]>([:])
    let buildAfter: Int

    init(buildAfter: Int = WatchIndexFilters.defaultBuildAfter) {
        self.buildAfter = buildAfter
    }

    /// The filter of `store` at `version` for a probe of `keys` keys in `db` (a read transaction at that
    /// version); built here when this probe brings the keys probed at that version past ``buildAfter``.
    func filter(store: String, version: Int64, keys: Int, _ db: Database) throws -> WatchIndexFilter? {
        let build = slots.withLock { slots -> Bool in
            var slot = slots[store].flatMap { $0.version == version ? $0 : nil } ?? Slot(version: version)
            slot.probed += keys
            let build = slot.filter == nil && !slot.building && slot.probed >= buildAfter
            if build { slot.building = true }
            slots[store] = slot
            return build
        }
        if build {
            let filter = try? WatchIndexFilter.build(db)
            slots.withLock { slots in
                guard var slot = slots[store], slot.version == version else { return }
                slot.building = false
                if let filter, filter.version == version { slot.filter = filter }
                slots[store] = slot
            }
        }
        return slots.withLock { slots in slots[store].flatMap { $0.version == version ? $0.filter : nil } }
    }
}
