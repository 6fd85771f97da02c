import Dispatch
import Synchronization

/// Runs work over `0..<count` on a few threads, one contiguous chunk per thread, and joins the
/// chunks' results in order. The one place the bulk paths (tokenising, masking, sealing,
/// screening) fan out; each chunk's closure makes its own copies of key state.
public enum ParallelChunks {
    public static func map<T: Sendable>(
        count: Int, threads: Int, minimumChunk: Int = 256, _ body: @Sendable (Range<Int>) -> [T]
    ) -> [T] {
        let workers = max(1, min(threads, count / max(1, minimumChunk) + 1))
        if workers == 1 { return body(0..<count) }
        let chunk = (count + workers - 1) / workers
        let parts = Mutex([[T]](repeating: [], count: workers))
        DispatchQueue.concurrentPerform(iterations: workers) { worker in
            let range = min(worker * chunk, count)..<min((worker + 1) * chunk, count)
            let part = range.isEmpty ? [] : body(range)
            parts.withLock { $0[worker] = part }
        }
        return parts.withLock { $0 }.flatMap { $0 }
    }
}
