import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One child process (the product binary or an outside tool), started with ``Spawn``: its output goes to
/// files (so a chatty child never blocks on a full pipe), its exit is observed by a reaping thread (so
/// waiting never blocks a thread of the test's executor), and it is killed when the test process exits
/// if nobody stopped it.
package final class ChildProcess: Sendable {
    private let exit = ExitLatch()
    private let termination = TerminationRecord()
    package let label: String
    package let pid: Int32
    package let stdoutURL: URL
    package let stderrURL: URL

    /// Starts `executable` with `arguments` in `directory`; stdout and stderr go to the given files, stdin
    /// is /dev/null; `environment` is added to this process's environment.
    package init(_ executable: URL, _ arguments: [String], label: String, directory: URL, stdout: URL, stderr: URL,
                 environment: [String: String]? = nil) throws {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw HarnessError("\(executable.path) is missing; run `swift build` first")
        }
        try FileManager.default.createDirectory(at: stdout.deletingLastPathComponent(), withIntermediateDirectories: true)
        self.label = label
        stdoutURL = stdout
        stderrURL = stderr
        let (latch, termination) = (exit, termination)
        do {
            pid = try Spawn.start(executable.path, arguments, directory: directory.path, stdout: stdout.path, stderr: stderr.path,
                                  environment: ProcessInfo.processInfo.environment.merging(environment ?? [:]) { $1 }) { ended in
                termination.value.withLock { $0 = ended }
                latch.open()
            }
        } catch {
            throw HarnessError("could not start \(label): \(error)")
        }
        CleanupRegistry.shared.track(pid: pid)
    }

    /// Runs `executable` to the end in a scratch folder of its own (for a tool outside any alliance,
    /// such as `openssl`); killed after `timeout`.
    package static func run(_ executable: URL, _ arguments: [String], timeout: Duration = .seconds(60)) async throws -> ProcessResult {
        let directory = FileManager.default.temporaryDirectory.appending(path: "exchange-node-tool-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let child = try ChildProcess(executable, arguments, label: executable.lastPathComponent, directory: directory,
                                     stdout: directory.appending(path: "out"), stderr: directory.appending(path: "err"))
        return await child.finish(timeout: timeout)
    }

    package var isRunning: Bool { !exit.isOpen }

    /// Sends a signal (SIGTERM, SIGKILL, ...) to the child if it is still running.
    package func send(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// Waits for the child to end; after `timeout` it is SIGKILLed and the result says it timed out.
    package func finish(timeout: Duration = .seconds(120)) async -> ProcessResult {
        let watchdog = Task { [exit, pid] in
            try await Task.sleep(for: timeout)
            guard !exit.isOpen else { return false }
            kill(pid, SIGKILL)
            return true
        }
        await exit.wait()
        watchdog.cancel()
        let timedOut = (try? await watchdog.value) ?? false
        CleanupRegistry.shared.forget(pid: pid)
        let ended = termination.value.withLock { $0 } ?? Spawn.Termination(status: -1, bySignal: false)
        return ProcessResult(label: label, exitCode: ended.status, killedBySignal: ended.bySignal, timedOut: timedOut,
                             stdout: Self.read(stdoutURL), stderr: Self.read(stderrURL))
    }

    /// Stops the child without suspending (for `defer`, safe to call more than once): SIGTERM, up to
    /// `grace` for it to go, then SIGKILL.
    package func stopBlocking(grace: Duration = .seconds(5)) {
        if isRunning {
            kill(pid, SIGTERM)
            wait(upTo: grace)
        }
        killNow()
    }

    /// SIGKILL now and wait for the end, without suspending (for `defer`).
    package func killNow() {
        if isRunning {
            kill(pid, SIGKILL)
            wait(upTo: .seconds(10))
        }
        CleanupRegistry.shared.forget(pid: pid)
    }

    private func wait(upTo limit: Duration) {
        let deadline = ContinuousClock.now.advanced(by: limit)
        while isRunning && ContinuousClock.now < deadline { usleep(10_000) }
    }

    private static func read(_ url: URL) -> String {
        (try? Data(contentsOf: url)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}

/// How the child ended, written once by the reaping thread.
private final class TerminationRecord: Sendable {
    let value = Mutex<Spawn.Termination?>(nil)
}
