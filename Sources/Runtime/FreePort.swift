import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Loopback TCP ports, for the demo, the benchmarks and the tests: a free one to listen on, and "is
/// something accepting there yet".
package enum FreePort {
    /// Why no free port could be had.
    package struct Unavailable: Error, CustomStringConvertible {
        package let description: String
    }

    /// Ports are handed out from below the kernel's ephemeral range (32768–60999 on Linux), so an
    /// outgoing connection's source port can never take a port between `find()` and the listener's
    /// bind, and in sequence from a random start, so one process never hands out the same port twice
    /// (parallel tests) and two processes rarely start at the same place.
    private static let range = 10_000..<32_768
    private static let next = Mutex(Int.random(in: range))

    /// A port free on 127.0.0.1 right now that this process has not handed out before (until the
    /// ~22 000 ports of the range wrap around).
    package static func find() throws(Unavailable) -> Int {
        for _ in 0..<range.count {
            let port = next.withLock { current in
                let port = current
                current = current + 1 < range.upperBound ? current + 1 : range.lowerBound
                return port
            }
            if canBind(port) { return port }
        }
        throw Unavailable(description: "no free loopback port in \(range.lowerBound)-\(range.upperBound - 1)")
    }

    /// Whether 127.0.0.1:`port` can be bound now (bound and closed at once; SO_REUSEADDR as listeners set it).
    private static func canBind(_ port: Int) -> Bool {
        let fd = socket(AF_INET, streamType, 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var one: Int32 = 1
        _ = setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, socklen_t(MemoryLayout<Int32>.size))
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// Whether something accepts TCP connections on 127.0.0.1:`port`.
    package static func isListening(_ port: Int) -> Bool {
        let fd = socket(AF_INET, streamType, 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopback(port: port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) == 0 }
        }
    }

    /// Waits until every port accepts connections, 5 s at most each.
    package static func waitUntilListening(_ ports: [Int]) async throws {
        for port in ports {
            for attempt in 0..<100 {
                if isListening(port) { break }
                if attempt == 99 { throw Unavailable(description: "listener on port \(port) did not start") }
                try await Task.sleep(for: .milliseconds(50))
            }
        }
    }

    private static var streamType: Int32 {
        #if canImport(Glibc)
        Int32(SOCK_STREAM.rawValue)
        #else
        SOCK_STREAM
        #endif
    }

    private static func loopback(port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
