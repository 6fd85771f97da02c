#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Writes seed inputs as files `seed-N` in a directory (created if missing), without Foundation.
enum SeedWriter {
    static func write(_ seeds: [[UInt8]], to directory: String) -> Bool {
        mkdir(directory, 0o755)
        for (index, seed) in seeds.enumerated() {
            guard let file = fopen("\(directory)/seed-\(index)", "wb") else { return false }
            let written = seed.withUnsafeBufferPointer { fwrite($0.baseAddress, 1, $0.count, file) }
            fclose(file)
            guard written == seed.count else { return false }
        }
        return true
    }
}
