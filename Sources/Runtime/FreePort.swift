import Foundation

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

    /// A port the kernel considers free on 127.0.0.1 right now (bind port 0, read it back, close).
    package static func find() throws(Unavailable) -> Int {
        let fd = socket(AF_INET, streamType, 0)
        guard fd >= 0 else { throw Unavailable(description: "socket() failed: errno \(errno)") }
        defer { close(fd) }
        var address = loopback(port: 0)
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, length) == 0 && getsockname(fd, $0, &length) == 0 }
        }
        guard bound else { throw Unavailable(description: "cannot find a free port: errno \(errno)") }
        return Int(UInt16(bigEndian: address.sin_port))
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
