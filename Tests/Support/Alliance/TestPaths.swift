import Foundation

/// Where the tests find the real product binary and the outside tools they drive.
package enum TestPaths {
    /// The package root, derived from this file's location (Tests/Support/Alliance/TestPaths.swift).
    package static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // Alliance
        .deletingLastPathComponent()  // Support
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root

    /// The debug build of the product, as `swift build` leaves it.
    package static let binary: URL = packageRoot.appending(path: ".build/debug/exchange-node")

    /// The outside TLS clients the tests use to act as strangers on the network.
    package static let curl = URL(fileURLWithPath: "/usr/bin/curl")
    package static let openssl = URL(fileURLWithPath: "/usr/bin/openssl")
}
