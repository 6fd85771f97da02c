import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// What one phase of the campaign did, for the report.
struct KillPhaseFigures: Sendable, CustomStringConvertible {
    let phase: String
    var kills = 0
    /// Kills that hit a running process (the others found it already finished).
    var landed = 0
    /// Kills that interrupted unfinished work, by the evidence left behind (import not stored, sync short of
    /// the origin's head, a screening or outbox call cut off).
    var midOperation = 0
    /// Kills that landed between two committed pages of one sync (the cursor moved, but not to the head).
    var betweenPages = 0
    var checks = 0
    var seconds = 0.0
    var notes: [String] = []

    var description: String {
        "\(phase): \(kills) SIGKILLs, \(landed) hit a running process, \(midOperation) interrupted unfinished work"
            + (betweenPages > 0 ? " (\(betweenPages) between two committed pages)" : "")
            + "; \(checks) consistency checks; \(String(format: "%.1f", seconds)) s"
            + (notes.isEmpty ? "" : " (" + notes.joined(separator: "; ") + ")")
    }
}
