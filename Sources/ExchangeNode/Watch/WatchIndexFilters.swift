import GRDB
import Synchronization

/// The index filters of the stores this process probes, one per store and watch version: read from
/// the store (``WatchFilterStore``, milliseconds) once a run of probes at one version passes
/// ``loadAfter`` keys (a long feed, a large import), never for the few keys of a routine round, whose
/// direct probes cost less than reading the filter. A version change drops the copy; the next long run
/// of probes reads the new one.
final class WatchIndexFilters: Sendable {
    static let shared = WatchIndexFilters()
    static let defaultLoadAfter = 20_000

    private struct Slot {
        var version: Int64
        var probed = 0
        var filter: WatchIndexFilter?
        var loading = false
    }

    private let slots = Mutex<[String: Slot]>([:])
    let loadAfter: Int

    init(loadAfter: Int = WatchIndexFilters.defaultLoadAfter) {
        self.loadAfter = loadAfter
    }

    /// The filter of `store` at `version` for a probe of `keys` keys in `db` (a read transaction at that
    /// version); read here when this probe brings the keys probed at that version past ``loadAfter``.
    /// A store without a filter (never the case after migration `v10-watch-filter`) has one built by a scan.
    func filter(store: String, version: Int64, keys: Int, _ db: Database) -> WatchIndexFilter? {
        let load = slots.withLock { slots -> Bool in
            var slot = slots[store].flatMap { $0.version == version ? $0 : nil } ?? Slot(version: version)
            slot.probed += keys
            let load = slot.filter == nil && !slot.loading && slot.probed >= loadAfter
            if load { slot.loading = true }
            slots[store] = slot
            return load
        }
        if load {
            let filter = (try? WatchFilterStore.load(db)) ?? (try? WatchIndexFilter.build(db))
            slots.withLock { slots in
                guard var slot = slots[store], slot.version == version else { return }
                slot.loading = false
                slot.filter = filter
                slots[store] = slot
            }
        }
        return slots.withLock { slots in slots[store].flatMap { $0.version == version ? $0.filter : nil } }
    }
}
