import AlliancePKI
import AsyncHTTPClient
import ExchangeProtocol
import ExchangeRuntime
import Foundation
import NIOSSL
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The alliance under test, in one scratch folder: the alliance CA, member certificates, node and
/// coordinator homes, input files, and the output of every process run there. The one fixture of the
/// suites; each kind of test uses the part it needs.
///
/// **Processes** (the product as operators run it):
/// ```swift
/// let alliance = try TestAlliance("my-scenario")
/// defer { alliance.shutdown() }
/// let (nodes, coordinator) = try await alliance.createMembers(3, scheme: "ecdh-x25519", coordinator: true)
/// try await alliance.importEntries(csv, at: nodes[0])          // `import`
/// let server = try await alliance.serve(nodes[0])               // `serve --no-sync`, waits for both listeners
/// try await alliance.serve(coordinator!)                        // `coordinator serve`
/// try await alliance.sync(nodes[1])                             // one `sync` round
/// let matches = try await alliance.screen(accounts, at: nodes[1]).stdout
/// let outbox = try await alliance.internalAPI(nodes[1], "GET", "/v1/outbox?after=0")
/// server.killNow()                                              // SIGKILL; `stop(server)` is SIGTERM
/// ```
/// Finer steps: `createCA()`, `createNode("alpha")` (`certs issue` + `init` on two free loopback ports),
/// `addPeer(beta, to: alpha)`, `createCoordinator(nodes:)`, `run([...])` for any command, `must([...])` (a set-up
/// step that must succeed), `status(alpha)` (`status --json`), `curl([...] + identity("beta") + [url])` as a
/// member. Every process's output lands in `transcript/`.
///
/// **In process** (library calls on the same homes): `initialiseCA()` and `issueCertificate(_:role:)` make
/// the CA and certificates without a child process; NodeTestSupport and CoordinatorTestSupport open node
/// and coordinator homes from them (`openNodes`, `openCoordinator`), and `client(as:)` calls any
/// listener presenting a member's certificate.
///
/// `shutdown()` (synchronous, for `defer`) stops every server it started and removes the folder; anything
/// left when the test process exits is killed and removed by ``CleanupRegistry``.
package final class TestAlliance: Sendable {
    package let root: URL
    private struct State {
        var launched = 0
        var results: [ProcessResult] = []
        var servers: [ChildProcess] = []
        var kept: [String: any Sendable] = [:]
    }
    private let state = Mutex(State())

    /// A fresh scratch folder named after the test.
    package init(_ name: String) throws {
        let unique = UUID().uuidString.prefix(8).lowercased()
        root = FileManager.default.temporaryDirectory.appending(path: "exchange-node-test-\(name)-\(unique)")
        try FileManager.default.createDirectory(at: root.appending(path: "transcript"), withIntermediateDirectories: true)
        CleanupRegistry.shared.track(directory: root)
    }

    /// A path inside the folder.
    package func path(_ relative: String) -> URL { root.appending(path: relative) }

    /// Writes a file inside the folder (outside every home) and returns its URL.
    @discardableResult
    package func write(_ bytes: [UInt8], to relative: String) throws -> URL {
        let url = path(relative)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data(bytes).write(to: url)
        return url
    }

    @discardableResult
    package func write(_ text: String, to relative: String) throws -> URL { try write(Array(text.utf8), to: relative) }

    // MARK: - Processes

    /// Starts `executable`; its output lands in the transcript folder; the caller decides when it ends.
    package func launch(_ executable: URL, _ arguments: [String], label: String,
                        environment: [String: String]? = nil) throws -> ChildProcess {
        let number = state.withLock { state -> Int in
            state.launched += 1
            return state.launched
        }
        let stem = String(format: "%03d-", number) + label.map { $0.isLetter || $0.isNumber ? $0 : "-" }
        return try ChildProcess(executable, arguments, label: label, directory: root, stdout: path("transcript/\(stem).out"),
                                stderr: path("transcript/\(stem).err"), environment: environment)
    }

    /// Starts `exchange-node ARGUMENTS` and returns at once.
    package func start(_ arguments: [String], label: String? = nil, environment: [String: String]? = nil) throws -> ChildProcess {
        try launch(TestPaths.binary, arguments, label: label ?? "exchange-node " + arguments.prefix(2).joined(separator: " "),
                   environment: environment)
    }

    /// Runs `exchange-node ARGUMENTS` to the end (killed after `timeout`) and records its output.
    /// `environment` is added to the test's own (e.g. `EXCHANGE_NODE_DAY_OFFSET`).
    package func run(_ arguments: [String], timeout: Duration = .seconds(120), environment: [String: String]? = nil) async throws -> ProcessResult {
        let result = await (try start(arguments, environment: environment)).finish(timeout: timeout)
        record(result)
        return result
    }

    /// Like ``run(_:timeout:environment:)``, but a failure is a broken precondition of the test and throws with the output.
    @discardableResult
    package func must(_ arguments: [String], environment: [String: String]? = nil) async throws -> ProcessResult {
        let result = try await run(arguments, environment: environment)
        guard result.succeeded else { throw HarnessError("set-up step failed: \(result)") }
        return result
    }

    /// Runs any tool to the end (killed after `timeout`) and records its output.
    package func tool(_ executable: URL, _ arguments: [String], label: String, timeout: Duration = .seconds(60)) async throws -> ProcessResult {
        let result = await (try launch(executable, arguments, label: label)).finish(timeout: timeout)
        record(result)
        return result
    }

    /// Runs curl (never through a shell) with `--silent --show-error` and a 20 s limit.
    package func curl(_ arguments: [String], timeout: Duration = .seconds(40)) async throws -> ProcessResult {
        try await tool(TestPaths.curl, ["--silent", "--show-error", "--max-time", "20"] + arguments, label: "curl", timeout: timeout)
    }

    package func record(_ result: ProcessResult) { state.withLock { $0.results.append(result) } }

    /// Everything the processes run here printed so far (finished ones and stopped servers).
    package var results: [ProcessResult] { state.withLock { $0.results } }

    // MARK: - The alliance, through the command line

    /// `certs init` in `dir` (relative to the folder).
    package func createCA(_ dir: String = "CA") async throws {
        try await must(["certs", "init", "--dir", path(dir).path])
    }

    /// `certs issue` for `member` with `role` on 127.0.0.1, by the CA in `caDir`.
    package func issue(_ member: String, role: String = "node", caDir: String = "CA") async throws {
        try await must(["certs", "issue", "--dir", path(caDir).path, "--member", member, "--role", role, "--ip", "127.0.0.1"])
    }

    /// Issues a certificate for `member` and `init`s its home on two free loopback ports.
    package func createNode(_ member: String, caDir: String = "CA", arguments: [String] = []) async throws -> TestNode {
        try await issue(member, caDir: caDir)
        let node = TestNode(member: member, home: path("home-\(member)"), peerPort: try FreePort.find(),
                            internalPort: try FreePort.find())
        try await must(["init", "--home", node.home.path, "--member", member, "--certs", path(caDir).path,
                        "--listen", "127.0.0.1:\(node.peerPort)", "--internal-listen", "127.0.0.1:\(node.internalPort)"] + arguments)
        return node
    }

    /// Makes `peer` a peer of `node` (one direction).
    package func addPeer(_ peer: TestNode, to node: TestNode) async throws {
        try await addPeer(peer.member, url: peer.peerURL, to: node)
    }

    /// Makes `member` (reached at `url`) a peer of `node`.
    package func addPeer(_ member: String, url: String, to node: TestNode) async throws {
        try await must(["peers", "add", "--home", node.home.path, "--member", member, "--url", url])
    }

    /// The curl arguments that present `member`'s alliance certificate and trust the alliance CA.
    package func identity(_ member: String, caDir: String = "CA") -> [String] {
        let dir = path("\(caDir)/members/\(member)").path
        return ["--cacert", path("\(caDir)/ca.pem").path, "--cert", "\(dir)/cert.pem", "--key", "\(dir)/key.pem"]
    }

    /// Sets the sync interval `serve` uses (node.json `syncIntervalSeconds`).
    package func setSyncInterval(_ seconds: Double, for node: TestNode) throws {
        let file = node.home.appending(path: "node.json")
        var object = try JSONSerialization.jsonObject(with: Data(contentsOf: file)) as? [String: Any] ?? [:]
        object["syncIntervalSeconds"] = seconds
        try JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys]).write(to: file)
    }

    /// `status --json`.
    package func status(_ node: TestNode) async throws -> NodeStatusSnapshot {
        try NodeStatusSnapshot.decode(try await run(["status", "--home", node.home.path, "--json"]))
    }

    /// Creates `count` nodes (`member-1` ...) under `scheme` (`keyed-hash` or `ecdh-x25519`), each a peer of
    /// every other, and, with `coordinator`, the alliance's coordinator with every node registered and
    /// known to each node (`init --coordinator`). The CA is created first when there is none.
    package func createMembers(_ count: Int, scheme: String = "keyed-hash", coordinator: Bool = false,
                               prefix: String = "member") async throws -> (nodes: [TestNode], coordinator: TestCoordinator?) {
        if !FileManager.default.fileExists(atPath: path("CA/ca.pem").path) { try await createCA() }
        let port = try FreePort.find()
        var nodes: [TestNode] = []
        for index in 1...count {
            nodes.append(try await createNode("\(prefix)-\(index)", arguments: ["--scheme", scheme]
                                              + (coordinator ? ["--coordinator", "https://127.0.0.1:\(port)"] : [])))
        }
        for node in nodes {
            for peer in nodes where peer.member != node.member { try await addPeer(peer, to: node) }
        }
        guard coordinator else { return (nodes, nil) }
        return (nodes, try await createCoordinator(port: port, nodes: nodes))
    }

    /// `certs issue --role coordinator`, `coordinator init` beside the CA on `port`, and `coordinator member
    /// add` for each node (and `operators`).
    package func createCoordinator(_ member: String = "coordinator", port: Int? = nil, nodes: [TestNode],
                                   operators: [String] = []) async throws -> TestCoordinator {
        try await issue(member, role: "coordinator")
        let coordinator = TestCoordinator(member: member, home: path("home-\(member)"), port: try port ?? FreePort.find())
        try await must(["coordinator", "init", "--home", coordinator.home.path, "--member", member, "--certs", path("CA").path,
                        "--ca-dir", path("CA").path, "--listen", "127.0.0.1:\(coordinator.port)"])
        for node in nodes {
            try await must(["coordinator", "member", "add", "--home", coordinator.home.path, "--member", node.member, "--url", node.peerURL])
        }
        for name in operators {
            try await issue(name, role: "operator")
            try await must(["coordinator", "member", "add", "--home", coordinator.home.path, "--member", name, "--role", "operator"])
        }
        return coordinator
    }

    /// `import` of an entries file's text at `node`.
    @discardableResult
    package func importEntries(_ text: String, at node: TestNode) async throws -> ProcessResult {
        let file = try write(text, to: "\(node.member)-entries-\(UUID().uuidString.prefix(6)).csv")
        return try await run(["import", "--home", node.home.path, file.path])
    }

    /// One `sync` round at `node`.
    @discardableResult
    package func sync(_ node: TestNode) async throws -> ProcessResult {
        try await run(["sync", "--home", node.home.path])
    }

    /// `screen` of an accounts file's text at `node`; the matches are the result's standard output.
    package func screen(_ text: String, at node: TestNode, arguments: [String] = []) async throws -> ProcessResult {
        let file = try write(text, to: "\(node.member)-accounts-\(UUID().uuidString.prefix(6)).csv")
        return try await run(["screen", "--home", node.home.path, file.path] + arguments)
    }

    /// One call to `node`'s internal API with its bearer token (curl); the answer's status and body.
    package func internalAPI(_ node: TestNode, _ method: String, _ pathAndQuery: String, body: String? = nil) async throws -> (status: Int, body: String) {
        var arguments = ["--write-out", "\n%{http_code}", "-X", method, "-H", "Authorization: Bearer \(try node.internalToken())"]
        if let body { arguments += ["-H", "Content-Type: application/json", "--data-binary", body] }
        let result = try await curl(arguments + [node.internalURL + pathAndQuery])
        guard result.succeeded, let newline = result.stdout.lastIndex(of: "\n"),
              let status = Int(result.stdout[result.stdout.index(after: newline)...]) else {
            throw HarnessError("curl \(method) \(pathAndQuery) failed: \(result)")
        }
        return (status, String(result.stdout[..<newline]))
    }

    // MARK: - Servers

    /// Starts `serve` for `node` and waits until both its listeners accept connections.
    @discardableResult
    package func serve(_ node: TestNode, sync: Bool = false, environment: [String: String]? = nil) async throws -> ChildProcess {
        let server = try start(["serve", "--home", node.home.path] + (sync ? [] : ["--no-sync"]), label: "serve \(node.member)",
                               environment: environment)
        try await waitUntilListening(server, ports: [node.peerPort, node.internalPort])
        return server
    }

    /// Starts `coordinator serve` and waits until it accepts connections.
    @discardableResult
    package func serve(_ coordinator: TestCoordinator) async throws -> ChildProcess {
        let server = try start(["coordinator", "serve", "--home", coordinator.home.path], label: "coordinator serve")
        try await waitUntilListening(server, ports: [coordinator.port])
        return server
    }

    /// Keeps `server` to stop at shutdown and waits until every port accepts connections (30 s at most).
    private func waitUntilListening(_ server: ChildProcess, ports: [Int]) async throws {
        state.withLock { $0.servers.append(server) }
        let deadline = ContinuousClock.now.advanced(by: .seconds(30))
        while ContinuousClock.now < deadline {
            guard server.isRunning else {
                let result = await server.finish(timeout: .seconds(1))
                record(result)
                throw HarnessError("\(server.label) exited before listening: \(result)")
            }
            if ports.allSatisfy(FreePort.isListening) { return }
            try await Task.sleep(for: .milliseconds(40))
        }
        throw HarnessError("\(server.label) did not listen on \(ports) within 30 s")
    }

    /// Stops one server gracefully (SIGTERM) and returns how it ended.
    package func stop(_ server: ChildProcess) async -> ProcessResult {
        server.send(SIGTERM)
        let result = await server.finish(timeout: .seconds(10))
        state.withLock { state in state.servers.removeAll { $0 === server } }
        record(result)
        return result
    }

    /// Stops every server still running (SIGTERM, then SIGKILL) and, unless `keepFiles`, removes the
    /// folder. Synchronous so that `defer { alliance.shutdown() }` always runs it.
    package func shutdown(keepFiles: Bool = false) {
        let servers = state.withLock { state -> [ChildProcess] in
            defer { state.servers = [] }
            return state.servers
        }
        for server in servers { server.stopBlocking(grace: .seconds(2)) }
        if !keepFiles {
            try? FileManager.default.removeItem(at: root)
            CleanupRegistry.shared.forget(directory: root)
        }
    }

    // MARK: - The alliance, in process

    /// The alliance CA folder (`CA/`, whether the command line or ``initialiseCA(allianceName:)`` made it).
    package var ca: AllianceDirectory { AllianceDirectory(path("CA").path) }

    /// Creates the CA, token key and revocation list with the PKI library (no child process).
    @discardableResult
    package func initialiseCA(allianceName: String = "Test Alliance") throws -> AllianceDirectory {
        _ = try ca.initialise(allianceName: allianceName)
        return ca
    }

    /// Issues `member`'s certificate (role `role`, 127.0.0.1) with the PKI library.
    package func issueCertificate(_ member: String, role: MemberRole = .node) throws {
        _ = try ca.issue(try MemberCertificateRequest(memberID: MemberID(member), role: role, ipAddresses: ["127.0.0.1"]))
    }

    /// An HTTPS client presenting the certificate the CA issued `member` and trusting only the alliance CA
    /// (nil: a client without a certificate).
    package func client(as member: String?) throws -> HTTPClient {
        let caCertificate = try NIOSSLCertificate.fromPEMFile(ca.caCertificatePath)[0]
        var tls: TLSConfiguration
        if let member {
            let id = try MemberID(member)
            tls = MTLSConfiguration.client(certificate: try NIOSSLCertificate.fromPEMFile(ca.memberCertificatePath(id))[0],
                                           key: try NIOSSLPrivateKey(file: ca.memberKeyPath(id), format: .pem), ca: caCertificate)
        } else {
            tls = TLSConfiguration.makeClientConfiguration()
            tls.trustRoots = .certificates([caCertificate])
            tls.certificateVerification = .noHostnameVerification
        }
        var configuration = HTTPClient.Configuration(tlsConfiguration: tls)
        configuration.timeout = .init(connect: .seconds(5), read: .seconds(10))
        configuration.httpVersion = .http1Only
        return HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    }

    /// Keeps a value the in-process layers opened for `key` (a node context, the coordinator) until shutdown.
    package func keep(_ value: some Sendable, for key: String) { state.withLock { $0.kept[key] = value } }

    /// Drops what ``keep(_:for:)`` kept for `key`.
    package func forget(_ key: String) { _ = state.withLock { $0.kept.removeValue(forKey: key) } }

    /// What ``keep(_:for:)`` kept for `key`, if it is a `T`.
    package func kept<T: Sendable>(_ key: String, as type: T.Type = T.self) -> T? { state.withLock { $0.kept[key] as? T } }

    /// Every kept value of type `T`, by key.
    package func allKept<T: Sendable>(_ type: T.Type = T.self) -> [String: T] {
        state.withLock { $0.kept.compactMapValues { $0 as? T } }
    }
}
