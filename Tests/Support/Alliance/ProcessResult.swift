/// What a finished child process left behind: its exit status, how it ended and what it printed.
package struct ProcessResult: Sendable, CustomStringConvertible {
    package let label: String
    package let exitCode: Int32
    package let killedBySignal: Bool
    package let timedOut: Bool
    package let stdout: String
    package let stderr: String

    /// What it printed, standard output then standard error.
    package var output: String { stdout + stderr }

    /// Exited by itself with status 0.
    package var succeeded: Bool { exitCode == 0 && !killedBySignal && !timedOut }
    /// Exited by itself (any status): it neither crashed nor was killed.
    package var exitedNormally: Bool { !killedBySignal && !timedOut }

    package var description: String {
        let how = killedBySignal ? "signal \(exitCode)" : "exit \(exitCode)"
        return "\(label) → \(how)\(timedOut ? " (timed out)" : "")\nstdout: \(stdout.suffix(2000))\nstderr: \(stderr.suffix(2000))"
    }
}
