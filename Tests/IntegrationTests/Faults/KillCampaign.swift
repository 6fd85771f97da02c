import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Settings of the SIGKILL campaign, from the environment `scripts/faults.sh` sets:
/// `XN_FAULT_KILLS` (kills per phase; the campaign runs only when it is set), `XN_FAULT_ENTRIES`
/// (entries per import file), `XN_FAULT_SEED` (random seed; printed so a run can be repeated) and
/// `XN_FAULT_REPORT` (file the figures are appended to).
struct KillCampaignSettings: Sendable {
    let killsPerPhase: Int
    let entriesPerFile: Int
    let seed: UInt64
    let reportPath: String?

    static let current: KillCampaignSettings? = {
        let environment = ProcessInfo.processInfo.environment
        guard let kills = environment["XN_FAULT_KILLS"].flatMap(Int.init), kills > 0 else { return nil }
        return KillCampaignSettings(
            killsPerPhase: kills,
            entriesPerFile: environment["XN_FAULT_ENTRIES"].flatMap(Int.init) ?? 5_000,
            seed: environment["XN_FAULT_SEED"].flatMap(UInt64.init) ?? UInt64.random(in: 1...999_999),
            reportPath: environment["XN_FAULT_REPORT"])
    }()
}

/// A seeded random source for kill moments (SplitMix64), so a failing campaign can be replayed.
struct KillClock: Sendable {
    private var state: UInt64
    init(seed: UInt64) { state = seed }

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }

    /// A moment uniformly in `0 ... upper`.
    mutating func moment(upTo upper: Duration) -> Duration {
        let fraction = Double(next() % 1_000_001) / 1_000_000
        return upper * fraction
    }
}

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

/// Appends campaign figures to the report file (and standard output).
enum KillReport {
    static func write(_ lines: [String], settings: KillCampaignSettings) {
        let text = lines.joined(separator: "\n") + "\n"
        print(text)
        guard let path = settings.reportPath else { return }
        if let handle = FileHandle(forWritingAtPath: path) {
            handle.seekToEndOfFile()
            handle.write(Data(text.utf8))
            try? handle.close()
        } else {
            _ = FileManager.default.createFile(atPath: path, contents: Data(text.utf8))
        }
    }
}
