// swift-tools-version:6.2
import PackageDescription

// The targets draw the architecture (docs/architecture.md): dependencies point one way, from the pure
// vocabulary up to the executable; the coordinator does not depend on the node.
//
//   ExchangeCrypto → ExchangeProtocol → ExchangeRuntime → AlliancePKI, ExchangeAudit → AllianceHTTP
//     → ExchangeNode, ExchangeCoordinator → ExchangeDemo → ExchangeBench → exchange-node

let crypto = Target.Dependency.product(name: "Crypto", package: "swift-crypto")
let x509 = Target.Dependency.product(name: "X509", package: "swift-certificates")
let asn1 = Target.Dependency.product(name: "SwiftASN1", package: "swift-asn1")
let nioCore = Target.Dependency.product(name: "NIOCore", package: "swift-nio")
let nioPosix = Target.Dependency.product(name: "NIOPosix", package: "swift-nio")
let nioSSL = Target.Dependency.product(name: "NIOSSL", package: "swift-nio-ssl")
let nioHTTP1 = Target.Dependency.product(name: "NIOHTTP1", package: "swift-nio")
let logging = Target.Dependency.product(name: "Logging", package: "swift-log")
let metrics = Target.Dependency.product(name: "Metrics", package: "swift-metrics")
let prometheus = Target.Dependency.product(name: "Prometheus", package: "swift-prometheus")
let lifecycle = Target.Dependency.product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
let httpClient = Target.Dependency.product(name: "AsyncHTTPClient", package: "async-http-client")
let hummingbird = Target.Dependency.product(name: "Hummingbird", package: "hummingbird")
let hummingbirdCore = Target.Dependency.product(name: "HummingbirdCore", package: "hummingbird")
let httpTypes = Target.Dependency.product(name: "HTTPTypes", package: "swift-http-types")
let grdb = Target.Dependency.product(name: "GRDB", package: "GRDB.swift")
let grdbSQLite = Target.Dependency.product(name: "GRDBSQLite", package: "GRDB.swift")
let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")
let mustache = Target.Dependency.product(name: "Mustache", package: "swift-mustache")

let package = Package(
    name: "exchange-node",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "exchange-node", targets: ["exchange-node"]),
        .library(name: "ExchangeNode", targets: ["ExchangeNode"]),
        .library(name: "ExchangeCoordinator", targets: ["ExchangeCoordinator"]),
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
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", from: "2.1.1"),
    ],
    targets: [
        // Identifiers, tokens, hex: pure, no I/O. Not named `Crypto` (swift-crypto owns that name).
        .target(name: "ExchangeCrypto", dependencies: [crypto], path: "Sources/Crypto"),
        // The alliance's vocabulary and wire formats (feed pages, signed events, daily reports, member ids,
        // ISO 8601 timestamps): pure, no I/O.
        .target(name: "ExchangeProtocol", dependencies: ["ExchangeCrypto", crypto], path: "Sources/Protocol"),
        // What node and coordinator both need from the machine: atomic 0600 file writes, JSON files,
        // HOST:PORT, the clock, the file log handler, the process's metrics registry.
        .target(
            name: "ExchangeRuntime",
            dependencies: ["ExchangeProtocol", logging, metrics, prometheus],
            path: "Sources/Runtime"
        ),
        // The alliance PKI: CA, member certificates, revocation list, TLS configurations, the handshake
        // verifier and connection guard, peer identity, key files.
        .target(
            name: "AlliancePKI",
            dependencies: ["ExchangeCrypto", "ExchangeProtocol", "ExchangeRuntime", crypto, x509, asn1, nioCore, nioSSL, logging],
            path: "Sources/PKI"
        ),
        // The hash-chained, checkpoint-signed audit log (many writers, flock).
        .target(
            name: "ExchangeAudit",
            dependencies: ["ExchangeCrypto", "ExchangeProtocol", "ExchangeRuntime", crypto, x509, logging, metrics, lifecycle],
            path: "Sources/Audit"
        ),
        // HTTP over alliance mTLS, shared by the node's peer listener and the coordinator: the Hummingbird
        // channel behind the PKI's handshake, the request context carrying the caller, JSON answers, rate limits.
        .target(
            name: "AllianceHTTP",
            dependencies: ["AlliancePKI", "ExchangeRuntime", hummingbird, hummingbirdCore, httpTypes, nioCore, nioSSL, logging, x509],
            path: "Sources/HTTP"
        ),
        // The node: store, import, exchange, screening, governance, servers, reporting to the coordinator.
        .target(
            name: "ExchangeNode",
            dependencies: [
                "ExchangeCrypto", "ExchangeProtocol", "ExchangeRuntime", "AlliancePKI", "ExchangeAudit", "AllianceHTTP",
                crypto, x509, asn1, nioCore, nioPosix, nioSSL, logging, metrics, lifecycle, httpClient, hummingbird, httpTypes,
                grdb, grdbSQLite,
            ],
            path: "Sources/ExchangeNode"
        ),
        // The coordinator: membership, token-key epochs, signed daily reports, statistics, dashboard, monthly report.
        .target(
            name: "ExchangeCoordinator",
            dependencies: [
                "ExchangeCrypto", "ExchangeProtocol", "ExchangeRuntime", "AlliancePKI", "ExchangeAudit", "AllianceHTTP",
                crypto, x509, nioCore, nioSSL, logging, lifecycle, hummingbird, httpTypes, grdb, mustache,
            ],
            path: "Sources/Coordinator"
        ),
        // `exchange-node demo`: a whole alliance on loopback (nodes and coordinator), narrated.
        .target(
            name: "ExchangeDemo",
            dependencies: [
                "ExchangeCrypto", "ExchangeProtocol", "ExchangeRuntime", "AlliancePKI", "ExchangeAudit", "ExchangeNode",
                "ExchangeCoordinator", hummingbird, grdb,
            ],
            path: "Sources/Demo"
        ),
        // `exchange-node bench`: every performance figure, on a loopback alliance.
        .target(
            name: "ExchangeBench",
            dependencies: [
                "ExchangeCrypto", "ExchangeProtocol", "ExchangeRuntime", "AlliancePKI", "ExchangeNode", "ExchangeDemo",
                hummingbird, httpClient, nioCore, grdb,
            ],
            path: "Sources/Bench"
        ),
        // Every command: it parses arguments and calls a library.
        .executableTarget(
            name: "exchange-node",
            dependencies: [
                "ExchangeCrypto", "ExchangeProtocol", "ExchangeRuntime", "AlliancePKI", "ExchangeAudit", "ExchangeNode",
                "ExchangeCoordinator", "ExchangeDemo", "ExchangeBench", argumentParser, crypto, logging, lifecycle,
                hummingbird, grdb,
            ],
            path: "Sources/exchange-node"
        ),

        // The test fixture, in layers: the alliance (CA, certificates, ports, the binary as child processes, mTLS
        // clients), then its nodes in process, then its coordinator in process.
        .target(
            name: "AllianceTestSupport",
            dependencies: ["ExchangeCrypto", "ExchangeProtocol", "ExchangeRuntime", "AlliancePKI", crypto, httpClient, nioCore, nioHTTP1, nioSSL],
            path: "Tests/Support/Alliance"
        ),
        .target(
            name: "NodeTestSupport",
            dependencies: ["AllianceTestSupport", "ExchangeCrypto", "ExchangeProtocol", "ExchangeRuntime", "AlliancePKI", "ExchangeNode"],
            path: "Tests/Support/Node"
        ),
        .target(
            name: "CoordinatorTestSupport",
            dependencies: [
                "AllianceTestSupport", "ExchangeProtocol", "ExchangeRuntime", "AlliancePKI", "ExchangeAudit", "ExchangeCoordinator",
                crypto, nioHTTP1,
            ],
            path: "Tests/Support/Coordinator"
        ),

        .testTarget(name: "ExchangeCryptoTests", dependencies: ["ExchangeCrypto", crypto], path: "Tests/ExchangeCryptoTests"),
        .testTarget(
            name: "ExchangeProtocolTests",
            dependencies: ["ExchangeCrypto", "ExchangeProtocol", crypto],
            path: "Tests/ExchangeProtocolTests"
        ),
        .testTarget(name: "ExchangeRuntimeTests", dependencies: ["ExchangeRuntime"], path: "Tests/ExchangeRuntimeTests"),
        .testTarget(
            name: "AlliancePKITests",
            dependencies: [
                "AllianceTestSupport", "ExchangeProtocol", "ExchangeRuntime", "AlliancePKI", crypto, x509, nioCore, nioPosix, nioSSL,
                .product(name: "NIOTLS", package: "swift-nio"),
            ],
            path: "Tests/AlliancePKITests"
        ),
        .testTarget(
            name: "ExchangeAuditTests",
            dependencies: ["ExchangeCrypto", "ExchangeProtocol", "ExchangeRuntime", "ExchangeAudit", crypto],
            path: "Tests/ExchangeAuditTests"
        ),
        .testTarget(
            name: "ExchangeNodeTests",
            dependencies: [
                "NodeTestSupport", "AllianceTestSupport", "ExchangeCrypto", "ExchangeProtocol", "ExchangeRuntime", "AlliancePKI",
                "ExchangeAudit", "AllianceHTTP", "ExchangeNode", crypto, grdb, httpClient, nioCore, nioHTTP1, nioSSL,
            ],
            path: "Tests/ExchangeNodeTests"
        ),
        .testTarget(
            name: "ExchangeCoordinatorTests",
            dependencies: [
                "CoordinatorTestSupport", "AllianceTestSupport", "ExchangeCrypto", "ExchangeProtocol", "ExchangeRuntime", "AlliancePKI",
                "ExchangeAudit", "AllianceHTTP", "ExchangeCoordinator", crypto, grdb, httpClient, nioCore, nioHTTP1, nioSSL,
            ],
            path: "Tests/ExchangeCoordinatorTests"
        ),
        .testTarget(name: "ExchangeBenchTests", dependencies: ["ExchangeBench"], path: "Tests/ExchangeBenchTests"),
        // Process-level suites: the built binary driven as a child process (end to end, faults, the SIGKILL
        // campaign, hostile peers and inputs), the commands themselves, and scenarios across several nodes
        // and the coordinator.
        .testTarget(
            name: "IntegrationTests",
            dependencies: [
                "AllianceTestSupport", "NodeTestSupport", "CoordinatorTestSupport", "ExchangeCrypto", "ExchangeProtocol",
                "ExchangeRuntime", "AlliancePKI", "ExchangeAudit", "AllianceHTTP", "ExchangeNode", "ExchangeCoordinator",
                "ExchangeDemo", "exchange-node", crypto, x509, grdb, httpClient, nioCore, nioPosix, nioHTTP1, nioSSL,
                argumentParser, hummingbird,
            ],
            path: "Tests/IntegrationTests"
        ),
    ]
)
