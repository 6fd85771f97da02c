import Foundation

/// Where the end-to-end tests find the real product binary and the outside tools they drive.
enum E2EPaths {
    /// The package root, derived from this file's location (Tests/ExchangeNodeTests/EndToEnd/E2EPaths.swift).
    static let packageRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // EndToEnd
        .deletingLastPathComponent()  // ExchangeNodeTests
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()  // package root

    /// The debug build of the product, as `swift build` leaves it.
    static let binary: URL = packageRoot.appending(path: ".build/debug/exchange-node")

    /// The outside TLS clients the tests use to act as strangers on the network.
    static let curl = URL(fileURLWithPath: "/usr/bin/curl")
    static let openssl = URL(fileURLWithPath: "/usr/bin/openssl")
}
