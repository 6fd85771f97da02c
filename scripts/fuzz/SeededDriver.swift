#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The fallback engine when the toolchain has no libFuzzer: a seeded random + mutation fuzzer without
/// coverage feedback. `xn-fuzz-seeded TARGET RUNS SEED ARTIFACT_DIR` mutates the target's seeds (bit and
/// byte flips, interesting integers, inserts, deletes, duplicated ranges, splices with other inputs) for
/// RUNS iterations. If an input crashes, a signal handler writes it to ARTIFACT_DIR/crash before dying.
@main
struct SeededDriver {
    static func main() {
        let arguments = CommandLine.arguments
        guard arguments.count == 5, let target = FuzzTarget(rawValue: arguments[1]),
              let runs = Int(arguments[2]), let seed = UInt64(arguments[3])
        else {
            fputs("usage: xn-fuzz-seeded feed|event|csv RUNS SEED ARTIFACT_DIR\n", stderr)
            exit(2)
        }
        CrashCapture.install(path: arguments[4] + "/crash")
        var random = SplitMix64(seed: seed)
        var pool = FuzzSeeds.seeds(for: target)
        let seedCount = pool.count
        let started = clock_gettime_seconds()
        for run in 0..<runs {
            var input = pool[Int(random.next() % UInt64(pool.count))]
            let rounds = 1 + Int(random.next() % 4)
            for _ in 0..<rounds { Mutator.mutate(&input, with: &random, donor: pool[Int(random.next() % UInt64(pool.count))]) }
            CrashCapture.current = input
            target.run(input)
            // Keep a rolling pool of recent mutants so mutations can stack beyond one step.
            if pool.count < seedCount + 256 { pool.append(input) } else { pool[seedCount + run % 256] = input }
        }
        let seconds = clock_gettime_seconds() - started
        print("seeded: target \(target.rawValue): \(runs) runs in \(Int(seconds.rounded())) s (seed \(seed))")
    }

    static func clock_gettime_seconds() -> Double {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        return Double(now.tv_sec) + Double(now.tv_nsec) / 1e9
    }
}

/// SplitMix64: small, fast, good enough to drive mutations reproducibly from one seed.
struct SplitMix64 {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Byte-level mutations in the style of libFuzzer's default mutators.
enum Mutator {
    static let interesting: [UInt8] = [0x00, 0x01, 0x7f, 0x80, 0xff, 0x22, 0x2c, 0x0a, 0x0d, 0x3d, 0x40, 0x2b, 0x2d, 0xc3, 0xef]

    static func mutate(_ input: inout [UInt8], with random: inout SplitMix64, donor: [UInt8]) {
        func index(_ bound: Int) -> Int { bound <= 0 ? 0 : Int(random.next() % UInt64(bound)) }
        switch random.next() % 8 {
        case 0 where !input.isEmpty:
            input[index(input.count)] ^= UInt8(1) << UInt8(random.next() % 8)
        case 1 where !input.isEmpty:
            input[index(input.count)] = UInt8(truncatingIfNeeded: random.next())
        case 2:
            input.insert(interesting[index(interesting.count)], at: index(input.count + 1))
        case 3 where !input.isEmpty:
            let start = index(input.count)
            input.removeSubrange(start..<min(input.count, start + 1 + index(16)))
        case 4 where !input.isEmpty:
            let start = index(input.count)
            let slice = input[start..<min(input.count, start + 1 + index(64))]
            input.insert(contentsOf: slice, at: index(input.count + 1))
        case 5 where !donor.isEmpty:
            let start = index(donor.count)
            let slice = donor[start..<min(donor.count, start + 1 + index(128))]
            input.replaceSubrange(index(input.count + 1)..<input.count, with: slice)
        case 6 where input.count >= 8:
            let at = index(input.count - 7)
            let value = [UInt64.max, 0, 1, 0x7f, 0x80, UInt64(Int64.max), 1 << 32, 4096, 65_536][index(9)]
            for byte in 0..<8 { input[at + byte] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(7 - byte))) }
        default:
            if !input.isEmpty { input[index(input.count)] = interesting[index(interesting.count)] }
        }
        if input.count > 65_536 { input.removeLast(input.count - 65_536) }
    }
}

/// Writes the input being run to a file when the process dies of a trap, so a crash is reproducible.
enum CrashCapture {
    nonisolated(unsafe) static var current: [UInt8] = []
    nonisolated(unsafe) static var path: [CChar] = []

    static func install(path: String) {
        self.path = Array(path.utf8CString)
        for signalNumber in [SIGILL, SIGTRAP, SIGSEGV, SIGBUS, SIGABRT] {
            signal(signalNumber) { number in
                let fd = CrashCapture.path.withUnsafeBufferPointer { open($0.baseAddress!, O_WRONLY | O_CREAT | O_TRUNC, 0o644) }
                if fd >= 0 {
                    _ = CrashCapture.current.withUnsafeBufferPointer { write(fd, $0.baseAddress, $0.count) }
                    close(fd)
                }
                signal(number, SIG_DFL)
                raise(number)
            }
        }
    }
}
