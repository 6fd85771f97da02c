#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libFuzzer entry points. The target is chosen with `FUZZ_TARGET=feed|event|csv`;
/// `FUZZ_WRITE_SEEDS=DIR` writes the target's seed inputs to DIR and exits.
nonisolated(unsafe) private var selected: FuzzTarget = .feed

@_cdecl("LLVMFuzzerInitialize")
public func fuzzInitialize(_ argc: UnsafeMutablePointer<CInt>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>) -> CInt {
    let name = getenv("FUZZ_TARGET").map { String(cString: $0) } ?? "feed"
    guard let target = FuzzTarget(rawValue: name) else {
        fputs("FUZZ_TARGET must be one of: feed, event, csv\n", stderr)
        exit(2)
    }
    selected = target
    if let directory = getenv("FUZZ_WRITE_SEEDS").map({ String(cString: $0) }) {
        exit(SeedWriter.write(FuzzSeeds.seeds(for: target), to: directory) ? 0 : 1)
    }
    return 0
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzTestOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = size == 0 ? [] : Array(UnsafeBufferPointer(start: data, count: size))
    selected.run(bytes)
    return 0
}
