import Dispatch
import Synchronization

/// Runs `prepare` for chunk k+1 on another thread while the caller's `consume` works on chunk k:
/// the bulk writers (import, re-publishing) tokenise and seal the next entries while SQLite
/// stores the current ones, on one write transaction that stays on the caller's thread.
enum ChunkPipeline {
    static func run<Prepared: Sendable, Failure: Error>(
        count: Int, chunkSize: Int,
        prepare: @escaping @Sendable (Range<Int>) -> Prepared,
        consume: (Range<Int>, Prepared) throws(Failure) -> Void
    ) throws(Failure) {
        let ranges = stride(from: 0, to: count, by: max(1, chunkSize)).map { $0..<min($0 + max(1, chunkSize), count) }
        guard let first = ranges.first else { return }
        var pending = Pending(range: first, prepare: prepare)
        for (position, range) in ranges.enumerated() {
            let prepared = pending.wait()
            if position + 1 < ranges.count { pending = Pending(range: ranges[position + 1], prepare: prepare) }
            try consume(range, prepared)
        }
    }

    /// One chunk being prepared on a global queue.
    final class Pending<Prepared: Sendable>: Sendable {
        private let done = DispatchSemaphore(value: 0)
        private let result = Mutex<Prepared?>(nil)

        init(range: Range<Int>, prepare: @escaping @Sendable (Range<Int>) -> Prepared) {
            DispatchQueue.global().async { [self] in
                let value = prepare(range)
                result.withLock { $0 = value }
                done.signal()
            }
        }

        func wait() -> Prepared {
            done.wait()
            return result.withLock { $0! }
        }
    }
}
