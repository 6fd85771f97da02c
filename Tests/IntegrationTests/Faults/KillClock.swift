import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
