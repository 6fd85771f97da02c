import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Why an end-to-end helper could not do its job (as opposed to a product behaviour under test).
struct E2EHarnessError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// What a finished child process left behind: its exit status, how it ended and what it printed.
struct E2EProcessResult: Sendable, CustomStringConvertible {
    let label: String
    let exitCode: Int32
    let killedBySignal: Bool
    let timedOut: Bool
    let stdout: String
    let stderr: String

    /// Whether it exited by itself with status 0.
    var succeeded: Bool { exitCode == 0 && !killedBySignal && !timedOut }

    var description: String {
        let how = killedBySignal ? "signal \(exitCode)" : "exit \(exitCode)"
        return "\(label) → \(how)\(timedOut ? " (timed out)" : "")\nstdout: \(stdout.suffix(2000))\nstderr: \(stderr.suffix(2000))"
    }
}

/// One child process started with Foundation `Process`, its output sent to files (so a chatty child never
/// blocks on a full pipe), its exit observed through the termination handler rather than a blocking wait.
final class E2EChildProcess: @unchecked Sendable {
    // @unchecked: `process` is configured and started in `launch` before the object is shared; afterwards
    // only its thread-safe read-outs (`processIdentifier`, status after exit) are used.
    private let process: Process
    let label: String
    let stdoutURL: URL
    let stderrURL: URL
    let exited = E2EExitSignal()
    let pid: Int32

    private init(process: Process, label: String, stdoutURL: URL, stderrURL: URL) throws {
        self.process = process
        self.label = label
        self.stdoutURL = stdoutURL
        self.stderrURL = stderrURL
        let signal = exited
        process.terminationHandler = { _ in signal.fire() }
        do {
            try process.run()
        } catch {
            throw E2EHarnessError("could not start \(label): \(error)")
        }
        pid = process.processIdentifier
        E2ECleanupRegistry.shared.track(pid: pid)
    }

    /// Starts `executable` with `arguments` in `directory`; stdout and stderr go to the given files,
    /// stdin is /dev/null.
    static func launch(
        _ executable: URL, _ arguments: [String], label: String,
        directory: URL, stdout: URL, stderr: URL
    ) throws -> E2EChildProcess {
        guard FileManager.default.isExecutableFile(atPath: executable.path) else {
            throw E2EHarnessError("\(executable.path) is missing; run `swift build` first")
        }
        _ = FileManager.default.createFile(atPath: stdout.path, contents: nil)
        _ = FileManager.default.createFile(atPath: stderr.path, contents: nil)
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = try FileHandle(forWritingTo: stdout)
        process.standardError = try FileHandle(forWritingTo: stderr)
        return try E2EChildProcess(process: process, label: label, stdoutURL: stdout, stderrURL: stderr)
    }

    var isRunning: Bool { !exited.hasFired }

    /// Sends a signal (SIGTERM, SIGKILL, ...) to the child if it is still running.
    func send(_ signal: Int32) {
        if isRunning { kill(pid, signal) }
    }

    /// Waits for the child to exit; after `timeout` it is killed with SIGKILL and the result says so.
    func waitForExit(timeout: Duration) async -> E2EProcessResult {
        let watchdog = Task { [exited, pid] in
            try await Task.sleep(for: timeout)
            guard !exited.hasFired else { return false }
            kill(pid, SIGKILL)
            return true
        }
        await exited.wait()
        watchdog.cancel()
        let timedOut = (try? await watchdog.value) ?? false
        return result(timedOut: timedOut)
    }

    /// Stops the child without suspending: SIGTERM, up to `grace` for it to go, then SIGKILL.
    /// Safe to call from `defer` and more than once.
    func stopBlocking(grace: Duration = .seconds(5)) {
        guard isRunning else {
            E2ECleanupRegistry.shared.forget(pid: pid)
            return
        }
        kill(pid, SIGTERM)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: grace)
        while isRunning && clock.now < deadline { usleep(20_000) }
        if isRunning { kill(pid, SIGKILL) }
        let hardDeadline = clock.now.advanced(by: .seconds(5))
        while isRunning && clock.now < hardDeadline { usleep(20_000) }
        E2ECleanupRegistry.shared.forget(pid: pid)
    }

    private func result(timedOut: Bool) -> E2EProcessResult {
        E2ECleanupRegistry.shared.forget(pid: pid)
        let out = (try? Data(contentsOf: stdoutURL)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        let err = (try? Data(contentsOf: stderrURL)).map { String(decoding: $0, as: UTF8.self) } ?? ""
        return E2EProcessResult(
            label: label,
            exitCode: process.terminationStatus,
            killedBySignal: process.terminationReason == .uncaughtSignal,
            timedOut: timedOut,
            stdout: out,
            stderr: err)
    }
}
