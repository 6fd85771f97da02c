import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where the fault tests find the product binary and the outside tools.
enum FaultPaths {
    /// The package root, from this file's location (Tests/ExchangeNodeTests/Faults/FaultAlliance.swift).
    static let packageRoot = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let binary = packageRoot.appending(path: ".build/debug/exchange-node")
    static let curl = URL(fileURLWithPath: "/usr/bin/curl")
}

/// One node under test: member id, home directory, loopback ports.
struct FaultNode: Sendable {
    let member: String
    let home: URL
    let peerPort: Int
    let internalPort: Int

    var peerURL: String { "https://127.0.0.1:\(peerPort)" }
    var internalURL: String { "http://127.0.0.1:\(internalPort)" }
    var storePath: String { home.appending(path: "store.sqlite").path }

    func internalToken() throws -> String {
        try String(contentsOf: home.appending(path: "keys/internal-api.token"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// A scratch alliance for fault and hostile-input tests: one CA, node homes, input files, the logs of every
/// process. Every `serve` it starts is SIGKILLed by `shutdown()` (synchronous, for `defer`), and the
/// directory is removed unless the test asks to keep it.
final class FaultAlliance: Sendable {
    let root: URL
    private let servers = Mutex<[FaultProcess]>([])

    init(_ name: String) throws {
        root = FileManager.default.temporaryDirectory.appending(path: "xn-faults-\(name)-\(UUID().uuidString.prefix(8))")
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
    }

    func path(_ relative: String) -> URL { root.appending(path: relative) }

    @discardableResult
    func write(_ bytes: [UInt8], to relative: String) throws -> URL {
        let url = path(relative)
        try Data(bytes).write(to: url)
        return url
    }

    @discardableResult
    func write(_ text: String, to relative: String) throws -> URL { try write(Array(text.utf8), to: relative) }

    // MARK: processes

    /// Starts `exchange-node ARGUMENTS` and returns at once (`environment` is added to the test's own).
    func start(_ arguments: [String], label: String? = nil, environment: [String: String]? = nil) throws -> FaultProcess {
        try FaultProcess(FaultPaths.binary, arguments, label: label ?? arguments.prefix(2).joined(separator: " "), directory: root,
                         environment: environment)
    }

    /// Runs `exchange-node ARGUMENTS` to the end.
    func run(_ arguments: [String], timeout: Duration = .seconds(120), environment: [String: String]? = nil) async throws -> FaultRun {
        await (try start(arguments, environment: environment)).finish(timeout: timeout)
    }

    /// Runs a set-up step that must succeed.
    @discardableResult
    func must(_ arguments: [String], environment: [String: String]? = nil) async throws -> FaultRun {
        let result = try await run(arguments, environment: environment)
        guard result.succeeded else { throw FaultHarnessError("set-up step failed: \(result)") }
        return result
    }

    /// Runs curl (never through a shell) with `--silent --show-error` and a 20 s limit.
    func curl(_ arguments: [String], timeout: Duration = .seconds(40)) async throws -> FaultRun {
        let child = try FaultProcess(FaultPaths.curl, ["--silent", "--show-error", "--max-time", "20"] + arguments,
                                     label: "curl", directory: root)
        return await child.finish(timeout: timeout)
    }

    // MARK: alliance

    func createCA() async throws {
        try await must(["certs", "init", "--dir", path("CA").path])
    }

    func issue(_ member: String) async throws {
        try await must(["certs", "issue", "--dir", path("CA").path, "--member", member, "--ip", "127.0.0.1"])
    }

    /// Issues a certificate for `member` and initialises its home on two free loopback ports.
    func createNode(_ member: String, scheme: String = "keyed-hash") async throws -> FaultNode {
        try await issue(member)
        let node = FaultNode(member: member, home: path("home-\(member)"),
                             peerPort: try FaultPorts.free(), internalPort: try FaultPorts.free())
        try await must(["init", "--home", node.home.path, "--member", member, "--certs", path("CA").path,
                        "--listen", "127.0.0.1:\(node.peerPort)", "--internal-listen", "127.0.0.1:\(node.internalPort)",
                        "--scheme", scheme])
        return node
    }

    /// Makes `peer` (at `url`, by default its own listener) a peer of `node`.
    func addPeer(_ peer: String, url: String, to node: FaultNode) async throws {
        try await must(["peers", "add", "--home", node.home.path, "--member", peer, "--url", url])
    }

    /// The curl arguments that present `member`'s alliance certificate and trust the alliance CA.
    func identity(_ member: String) -> [String] {
        let dir = path("CA/members/\(member)").path
        return ["--cacert", path("CA/ca.pem").path, "--cert", "\(dir)/cert.pem", "--key", "\(dir)/key.pem"]
    }

    /// Sets the sync interval `serve` uses (node.json `syncIntervalSeconds`).
    func setSyncInterval(_ seconds: Double, for node: FaultNode) throws {
        let file = node.home.appending(path: "node.json")
        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any] ?? [:]
        object["syncIntervalSeconds"] = seconds
        try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]).write(to: file)
    }

    // MARK: servers

    /// Starts `serve` and waits until both listeners accept connections.
    @discardableResult
    func serve(_ node: FaultNode, sync: Bool = false, environment: [String: String]? = nil) async throws -> FaultProcess {
        let server = try start(["serve", "--home", node.home.path] + (sync ? [] : ["--no-sync"]), label: "serve \(node.member)",
                               environment: environment)
        servers.withLock { $0.append(server) }
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        while ContinuousClock.now < deadline {
            guard server.isRunning else {
                throw FaultHarnessError("serve \(node.member) exited before listening: \(await server.finish())")
            }
            if FaultPorts.isAccepting(node.peerPort) && FaultPorts.isAccepting(node.internalPort) { return server }
            try await Task.sleep(for: .milliseconds(40))
        }
        throw FaultHarnessError("serve \(node.member) did not listen within 30 s")
    }

    /// SIGKILLs every server still running and removes the directory unless `keepFiles`.
    func shutdown(keepFiles: Bool = false) {
        let running = servers.withLock { list -> [FaultProcess] in
            defer { list = [] }
            return list
        }
        for server in running { server.killNow() }
        if !keepFiles { try? FileManager.default.removeItem(at: root) }
    }

    /// `status --json`.
    func status(_ node: FaultNode) async throws -> FaultStatus {
        let result = try await run(["status", "--home", node.home.path, "--json"])
        guard result.succeeded else { throw FaultHarnessError("status failed: \(result)") }
        return try JSONDecoder().decode(FaultStatus.self, from: Data(result.stdout.utf8))
    }
}

/// The part of `status --json` the fault tests compare.
struct FaultStatus: Decodable, Sendable, Equatable {
    struct Count: Decodable, Sendable, Hashable {
        let origin: String
        let list: String
        let category: String
        let status: String
        let entries: Int
    }

    let member: String
    let entries: Int
    let tokens: Int
    let counts: [Count]
    let cursors: [String: Int64]

    func entries(from origin: String) -> Int {
        counts.filter { $0.origin == origin }.reduce(0) { $0 + $1.entries }
    }
}

/// Loopback ports: a free one to listen on, and "is something accepting there yet".
enum FaultPorts {
    static func free() throws -> Int {
        let fd = socket(AF_INET, streamType, 0)
        guard fd >= 0 else { throw FaultHarnessError("socket() failed") }
        defer { close(fd) }
        var address = loopback(0)
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { bind(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        }
        guard bound == 0 else { throw FaultHarnessError("bind() failed") }
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let named = withUnsafeMutablePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { getsockname(fd, $0, &length) }
        }
        guard named == 0 else { throw FaultHarnessError("getsockname() failed") }
        return Int(UInt16(bigEndian: address.sin_port))
    }

    static func isAccepting(_ port: Int) -> Bool {
        let fd = socket(AF_INET, streamType, 0)
        guard fd >= 0 else { return false }
        defer { close(fd) }
        var address = loopback(port)
        return withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) { connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size)) }
        } == 0
    }

    private static var streamType: Int32 {
        #if canImport(Glibc)
        Int32(SOCK_STREAM.rawValue)
        #else
        SOCK_STREAM
        #endif
    }

    private static func loopback(_ port: Int) -> sockaddr_in {
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = UInt16(port).bigEndian
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        return address
    }
}
