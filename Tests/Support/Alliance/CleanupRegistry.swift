import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Last line of defence: child processes still running and scratch directories still present when the
/// test process exits are killed and removed by an `atexit` handler, so a failed test leaves nothing behind.
package final class CleanupRegistry: Sendable {
    private struct State {
        var pids: Set<Int32> = []
        var directories: Set<URL> = []
    }

    private let state = Mutex(State())

    /// The registry of this test process; installs the `atexit` handler on first use.
    package static let shared: CleanupRegistry = {
        let registry = CleanupRegistry()
        atexit { CleanupRegistry.shared.cleanUpEverything() }
        return registry
    }()

    package func track(pid: Int32) { _ = state.withLock { $0.pids.insert(pid) } }
    package func forget(pid: Int32) { _ = state.withLock { $0.pids.remove(pid) } }
    package func track(directory: URL) { _ = state.withLock { $0.directories.insert(directory) } }
    package func forget(directory: URL) { _ = state.withLock { $0.directories.remove(directory) } }

    /// Kills every tracked child and removes every tracked directory.
    package func cleanUpEverything() {
        let (pids, directories) = state.withLock { state in
            defer { state = State() }
            return (state.pids, state.directories)
        }
        for pid in pids { kill(pid, SIGKILL) }
        for directory in directories { try? FileManager.default.removeItem(at: directory) }
    }
}
