// swift-tools-version:6.2
import PackageDescription

let package = Package(
    name: "exchange-node",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "exchange-node", targets: ["exchange-node"]),
        .library(name: "ExchangeNode", targets: ["ExchangeNode"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/apple/swift-asn1.git", from: "1.7.4"),
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.3"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/async-http-client.git", from: "1.37.0"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1", traits: []),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-http-types.git", from: "1.8.0"),
    ],
    targets: [
        // Identifiers and tokens: pure, no I/O. Not named `Crypto` (swift-crypto owns that name).
        .target(
            name: "ExchangeCrypto",
            dependencies: [.product(name: "Crypto", package: "swift-crypto")],
            path: "Sources/Crypto"
        ),
        // Wire types and signed events: pure, no I/O.
        .target(
            name: "ExchangeProtocol",
            dependencies: [
                "ExchangeCrypto",
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Sources/Protocol"
        ),
        // Store, import, screening, server, sync, coordinator, CLI commands.
        .target(
            name: "ExchangeNode",
            dependencies: [
                "ExchangeCrypto",
                "ExchangeProtocol",
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "SwiftASN1", package: "swift-asn1"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "AsyncHTTPClient", package: "async-http-client"),
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "HTTPTypes", package: "swift-http-types"),
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            path: "Sources/ExchangeNode"
        ),
        .executableTarget(
            name: "exchange-node",
            dependencies: ["ExchangeNode"],
            path: "Sources/exchange-node"
        ),
        .testTarget(
            name: "ExchangeNodeTests",
            dependencies: ["ExchangeNode", "ExchangeCrypto", "ExchangeProtocol"],
            path: "Tests/ExchangeNodeTests"
        ),
    ]
)
