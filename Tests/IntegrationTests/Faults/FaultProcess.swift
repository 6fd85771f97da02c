import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why the fault harness itself could not do its job (as opposed to a product behaviour under test).
struct FaultHarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// How a child process ended and what it printed.
struct FaultRun: Sendable, CustomStringConvertible {
    let label: String
    let exitCode: Int32
    let killedBySignal: Bool
    let timedOut: Bool
    let stdout: String
    let stderr: String

    /// Exited by itself with status 0.
    var succeeded: Bool { exitCode == 0 && !killedBySignal && !timedOut }
    /// Exited by itself (any status): it neither crashed nor was killed.
    var exitedNormally: Bool { !killedBySignal && !timedOut }

    var description: String {
        let how = killedBySignal ? "signal \(exitCode)" : "exit \(exitCode)"
        return "\(label) → \(how)\(timedOut ? " (timed out)" : "")\nstdout: \(stdout.suffix(1500))\nstderr: \(stderr.suffix(1500))"
    }
}

/// One child process (the product binary or a tool) with its output in files, its exit observed through
/// the termination handler so that waiting never blocks a thread of the test's executor.
final class FaultProcess: @unchecked Sendable {
    // @unchecked: `process` is configured and started in `init` before the object is shared; afterwards only
    // its thread-safe read-outs (status after exit) are used, and `exit` is a Mutex-guarded latch.
    private let process: Process
    private let exit = FaultLatch()
    let label: String
    let pid: Int32
    private let stdoutURL: URL
    private let stderrURL: URL

    init(_ executable: URL, _ arguments: [String], label: String, directory: URL, environment: [String: String]? = nil) throws {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw FaultHarnessError("\(executable.path) is missing; run `swift build` first")
        }
        let stem = label.map { $0.isLetter || $0.isNumber ? $0 : "-" }
        let unique = UUID().uuidString.prefix(6)
        stdoutURL = directory.appending(path: "log/\(String(stem))-\(unique).out")
        stderrURL = directory.appending(path: "log/\(String(stem))-\(unique).err")
        try FileManager.default.createDirectory(at: stdoutURL.deletingLastPathComponent(), withIntermediateDirectories: true)
        _ = FileManager.default.createFile(atPath: stdoutURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrURL.path, contents: nil)
        process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: stdoutURL)
        process.standardError = try FileHandle(forWritingTo: stderrURL)
        self.label = label
        let latch = exit
        process.terminationHandler = { _ in latch.open() }
        do {
            try process.run()
        } catch {
            throw FaultHarnessError("could not start \(label): \(error)")
        }
        pid = process.processIdentifier
        FaultReaper.shared.track(pid)
    }

    var isRunning: Bool { !exit.isOpen }

    /// Sends `signal` if the child still runs.
    func send(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// Waits for the child to end; after `timeout` it is SIGKILLed and the result says it timed out.
    func finish(timeout: Duration = .seconds(120)) async -> FaultRun {
        let watchdog = Task { [exit, pid] in
            try await Task.sleep(for: timeout)
            guard !exit.isOpen else { return false }
            kill(pid, SIGKILL)
            return true
        }
        await exit.wait()
        watchdog.cancel()
        let timedOut = (try? await watchdog.value) ?? false
        FaultReaper.shared.forget(pid)
        return FaultRun(label: label, exitCode: process.terminationStatus,
                        killedBySignal: process.terminationReason == .uncaughtSignal, timedOut: timedOut,
                        stdout: Self.read(stdoutURL), stderr: Self.read(stderrURL))
    }

    /// SIGKILL now and wait for the end, without suspending (for `defer`).
    func killNow() {
        guard isRunning else { return FaultReaper.shared.forget(pid) }
        kill(pid, SIGKILL)
        let deadline = ContinuousClock.now.advanced(by: .seconds(10))
        while isRunning && ContinuousClock.now < deadline { usleep(10_000) }
        FaultReaper.shared.forget(pid)
    }

    private static func read(_ url: URL) -> String {
        (try? Data(contentsOf: url)).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
}

/// A one-shot latch: `wait()` suspends until `open()` has been called (before or after).
final class FaultLatch: Sendable {
    private struct State {
        var open = false
        var waiters: [CheckedContinuation<Void, Never>] = []
    }
    private let state = Mutex(State())

    var isOpen: Bool { state.withLock { $0.open } }

    func open() {
        let waiters = state.withLock { state -> [CheckedContinuation<Void, Never>] in
            state.open = true
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume() }
    }

    func wait() async {
        await withCheckedContinuation { (continuation: CheckedContinuation<Void, Never>) in
            let resumeNow = state.withLock { state -> Bool in
                if state.open { return true }
                state.waiters.append(continuation)
                return false
            }
            if resumeNow { continuation.resume() }
        }
    }
}

/// Last line of defence: children still running when the test process exits are SIGKILLed.
final class FaultReaper: Sendable {
    private let pids = Mutex(Set<Int32>())

    static let shared: FaultReaper = {
        let reaper = FaultReaper()
        atexit { FaultReaper.shared.killAll() }
        return reaper
    }()

    func track(_ pid: Int32) { _ = pids.withLock { $0.insert(pid) } }
    func forget(_ pid: Int32) { _ = pids.withLock { $0.remove(pid) } }

    private func killAll() {
        for pid in pids.withLock({ $0 }) { kill(pid, SIGKILL) }
    }
}
