import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// One node of the alliance under test: its member id, home directory and loopback ports.
struct E2ENode: Sendable {
    let member: String
    let home: URL
    let peerPort: Int
    let internalPort: Int

    var peerURL: String { "https://127.0.0.1:\(peerPort)" }
    var internalURL: String { "http://127.0.0.1:\(internalPort)" }

    /// The bearer token of the node's internal API, as `init` wrote it.
    func internalToken() throws -> String {
        try String(contentsOf: home.appending(path: "keys/internal-api.token"), encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// A scratch directory for one end-to-end scenario: alliance CA, node homes, input files and the captured
/// output of every process it ran. It stops every `serve` process it started, even when a test fails
/// (`shutdown` is synchronous so it can run from `defer`), and removes its directory.
final class E2EWorkspace: Sendable {
    let root: URL
    private struct State {
        var launched = 0
        var results: [E2EProcessResult] = []
        var servers: [E2EChildProcess] = []
    }
    private let state = Mutex(State())

    init(_ name: String) throws {
        let unique = UUID().uuidString.prefix(8).lowercased()
        root = FileManager.default.temporaryDirectory.appending(path: "exchange-node-e2e-\(name)-\(unique)")
        try FileManager.default.createDirectory(
            at: root.appending(path: "transcript"), withIntermediateDirectories: true)
        E2ECleanupRegistry.shared.track(directory: root)
    }

    /// A path inside the workspace.
    func path(_ relative: String) -> URL { root.appending(path: relative) }

    /// Writes a text file inside the workspace (outside every node home) and returns its URL.
    @discardableResult
    func write(_ text: String, to relative: String) throws -> URL {
        let url = path(relative)
        try Data(text.utf8).write(to: url)
        return url
    }

    /// Everything the processes run here printed so far (finished ones and stopped servers).
    var results: [E2EProcessResult] { state.withLock { $0.results } }

    // MARK: - Processes

    /// Starts a child whose output lands in the transcript folder; the caller decides when it ends.
    func launch(_ executable: URL, _ arguments: [String], label: String) throws -> E2EChildProcess {
        let number = state.withLock { state -> Int in
            state.launched += 1
            return state.launched
        }
        let stem = String(format: "%03d-", number) + label.replacingOccurrences(of: " ", with: "-")
        return try E2EChildProcess.launch(
            executable, arguments, label: label, directory: root,
            stdout: path("transcript/\(stem).out"), stderr: path("transcript/\(stem).err"))
    }

    /// Runs any tool to completion (killed after `timeout`) and records its output.
    func runTool(
        _ executable: URL, _ arguments: [String], label: String, timeout: Duration = .seconds(60)
    ) async throws -> E2EProcessResult {
        let child = try launch(executable, arguments, label: label)
        let result = await child.waitForExit(timeout: timeout)
        record(result)
        return result
    }

    /// Runs `exchange-node ARGUMENTS` to completion and records its output.
    func node(_ arguments: [String], timeout: Duration = .seconds(90)) async throws -> E2EProcessResult {
        try await runTool(E2EPaths.binary, arguments, label: "exchange-node " + arguments.prefix(2).joined(separator: " "),
                          timeout: timeout)
    }

    /// Like `node(_:)`, but a failure is a broken precondition of the scenario and throws with the output.
    @discardableResult
    func setUp(_ arguments: [String]) async throws -> E2EProcessResult {
        let result = try await node(arguments)
        guard result.succeeded else { throw E2EHarnessError("set-up step failed: \(result)") }
        return result
    }

    /// Runs curl with the given arguments (never through a shell).
    func curl(_ arguments: [String], timeout: Duration = .seconds(30)) async throws -> E2EProcessResult {
        try await runTool(E2EPaths.curl, ["--silent", "--show-error", "--max-time", "20"] + arguments,
                          label: "curl", timeout: timeout)
    }

    func record(_ result: E2EProcessResult) {
        state.withLock { $0.results.append(result) }
    }

    // MARK: - Alliance set-up

    /// `certs init` in `dir` (relative to the workspace).
    func createCA(_ dir: String) async throws {
        try await setUp(["certs", "init", "--dir", path(dir).path])
    }

    /// `certs issue` for `member` on 127.0.0.1 by the CA in `caDir`.
    func issueCertificate(member: String, caDir: String) async throws {
        try await setUp(["certs", "issue", "--dir", path(caDir).path, "--member", member, "--ip", "127.0.0.1"])
    }

    /// Issues a certificate for `member` and `init`s its home on two fresh loopback ports.
    func createNode(_ member: String, caDir: String = "CA") async throws -> E2ENode {
        try await issueCertificate(member: member, caDir: caDir)
        let node = E2ENode(
            member: member, home: path("home-\(member)"),
            peerPort: try E2EPorts.freePort(), internalPort: try E2EPorts.freePort())
        try await setUp([
            "init", "--home", node.home.path, "--member", member,
            "--listen", "127.0.0.1:\(node.peerPort)", "--internal-listen", "127.0.0.1:\(node.internalPort)",
            "--certs", path(caDir).path,
        ])
        return node
    }

    /// Makes `peer` a peer of `node` (one direction).
    func addPeer(_ peer: E2ENode, to node: E2ENode) async throws {
        try await setUp(["peers", "add", "--home", node.home.path, "--member", peer.member, "--url", peer.peerURL])
    }

    // MARK: - Servers

    /// Starts `serve` for `node` and waits until both its listeners accept connections.
    @discardableResult
    func serve(_ node: E2ENode, noSync: Bool = true) async throws -> E2EChildProcess {
        let arguments = ["serve", "--home", node.home.path] + (noSync ? ["--no-sync"] : [])
        let server = try launch(E2EPaths.binary, arguments, label: "serve \(node.member)")
        state.withLock { $0.servers.append(server) }
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(30))
        while clock.now < deadline {
            if !server.isRunning {
                let result = await server.waitForExit(timeout: .seconds(1))
                record(result)
                throw E2EHarnessError("serve \(node.member) exited before listening: \(result)")
            }
            if E2EPorts.isAccepting(port: node.peerPort) && E2EPorts.isAccepting(port: node.internalPort) {
                return server
            }
            try await Task.sleep(for: .milliseconds(50))
        }
        throw E2EHarnessError("serve \(node.member) did not listen on \(node.peerPort)/\(node.internalPort) within 30 s")
    }

    /// Stops one server gracefully (SIGTERM) and returns how it ended.
    func stop(_ server: E2EChildProcess) async -> E2EProcessResult {
        server.send(SIGTERM)
        let result = await server.waitForExit(timeout: .seconds(10))
        state.withLock { state in state.servers.removeAll { $0 === server } }
        record(result)
        return result
    }

    /// Stops every server still running (SIGTERM, then SIGKILL) and, unless `keepFiles`, removes the
    /// directory. Synchronous so that `defer { workspace.shutdown() }` always runs it.
    func shutdown(keepFiles: Bool = false) {
        let servers = state.withLock { state -> [E2EChildProcess] in
            defer { state.servers = [] }
            return state.servers
        }
        for server in servers { server.stopBlocking() }
        if !keepFiles {
            try? FileManager.default.removeItem(at: root)
            E2ECleanupRegistry.shared.forget(directory: root)
        }
    }
}
