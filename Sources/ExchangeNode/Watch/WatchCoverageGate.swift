/// One coverage step at a time per process: the sync loop and the internal API would otherwise
/// ask a peer for the same accounts twice (and spend its budget twice).
actor WatchCoverageGate {
    static let shared = WatchCoverageGate()

    private var busy = false
    private var waiters: [CheckedContinuation<Void, Never>] = []

    /// Runs `body` when no other coverage step runs in this process.
    func run<T: Sendable>(_ body: @Sendable () async -> T) async -> T {
        if busy {
            await withCheckedContinuation { waiters.append($0) }
        } else {
            busy = true
        }
        let result = await body()
        if waiters.isEmpty { busy = false } else { waiters.removeFirst().resume() }
        return result
    }

    /// Runs `body` only if no other coverage step runs now; nil otherwise (the sync loop's next round does it).
    func runIfIdle<T: Sendable>(_ body: @Sendable () async -> T) async -> T? {
        guard !busy else { return nil }
        return await run(body)
    }
}
