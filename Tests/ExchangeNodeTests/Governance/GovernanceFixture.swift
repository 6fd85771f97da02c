import AsyncHTTPClient
import ExchangeProtocol
import Foundation
import NIOCore
import NIOHTTP1
import NIOSSL
import Testing

@testable import ExchangeNode

/// A small alliance on loopback for the governance tests: a CA, one node home per member (each
/// knowing the others as node peers unless `peer` says otherwise), and extra certificates for
/// callers that are not nodes of this alliance's peers files.
final class GovernanceAlliance: @unchecked Sendable {
    let root: URL
    let ca: AllianceDirectory
    let ports: [String: Int]
    let internalPorts: [String: Int]
    private(set) var contexts: [String: NodeContext] = [:]

    static let listedOn = "2026-01-15"
    static let expiresOn = "2030-12-31"

    /// `peer(member, other)` gives the peers-file entry `member` keeps for `other` (nil: none).
    init(members: [String], extraCertificates: [(String, MemberRole)] = [],
         peer: (String, String, String) -> PeerConfig? = { _, other, url in PeerConfig(member: other, url: url) }) throws {
        root = URL(fileURLWithPath: NSTemporaryDirectory() + "governance-test-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        ca = AllianceDirectory(root.appendingPathComponent("ca").path)
        _ = try ca.initialise(allianceName: "Governance Test")
        var ports: [String: Int] = [:]
        var internalPorts: [String: Int] = [:]
        for member in members {
            ports[member] = try FreePort.find()
            internalPorts[member] = try FreePort.find()
            _ = try ca.issue(try MemberCertificateRequest(memberID: MemberID(member), ipAddresses: ["127.0.0.1"]))
            let config = NodeConfig(member: member, alliance: "Governance Test", listen: "127.0.0.1:\(ports[member]!)",
                                    internalListen: "127.0.0.1:\(internalPorts[member]!)")
            try NodeSetup.create(home: NodeHome(root.appendingPathComponent(member).path), config: config,
                                 certificatesFolder: URL(fileURLWithPath: ca.root))
        }
        for (member, role) in extraCertificates {
            _ = try ca.issue(try MemberCertificateRequest(memberID: MemberID(member), role: role, ipAddresses: ["127.0.0.1"]))
        }
        self.ports = ports
        self.internalPorts = internalPorts
        for member in members {
            for other in members + extraCertificates.map(\.0) where other != member {
                let url = "https://127.0.0.1:\(ports[other] ?? 1)"
                if let config = peer(member, other, url) { try PeerDirectory(peers: [:]).save(config, to: home(member)) }
            }
            contexts[member] = try NodeContext(home: home(member))
        }
    }

    func home(_ member: String) -> NodeHome { NodeHome(root.appendingPathComponent(member).path) }
    func context(_ member: String) -> NodeContext { contexts[member]! }
    func url(_ member: String) -> String { "https://127.0.0.1:\(ports[member]!)" }

    /// Re-opens a member's home (after its peers files changed).
    func reopen(_ member: String) throws { contexts[member] = try NodeContext(home: home(member)) }

    func importEntries(_ member: String, _ rows: [String]) throws {
        let file = root.appendingPathComponent("\(member)-entries-\(UUID().uuidString).csv")
        let text = "entry_id,list,category,severity,kind,identifier,listed_on,expires_on\n"
            + rows.map { $0 + ",\(Self.listedOn),\(Self.expiresOn)" }.joined(separator: "\n") + "\n"
        try text.write(to: file, atomically: true, encoding: .utf8)
        _ = try EntryImporter(context: context(member)).run(path: file.path)
    }

    /// Screens `accounts` (`ref,kind,identifier` rows) at `member` today and records the matches.
    func screen(_ member: String, _ accounts: [String]) async throws -> Int {
        let file = root.appendingPathComponent("\(member)-accounts-\(UUID().uuidString).csv")
        try ("ref,kind,identifier\n" + accounts.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let service = try ScreeningService(context: context(member))
        let summary = try await service.screenFile(path: file.path, day: NodeClock.today(), record: true, progress: nil,
                                                   emit: { _ in }, reject: { _ in })
        return summary.matches.count
    }

    /// Runs `body` while every listed member's peer listener (and, if asked, internal listener) runs.
    func withServers<T: Sendable>(_ members: [String], internal: Bool = false,
                                  _ body: @Sendable ([String: NodeRuntime]) async throws -> T) async throws -> T {
        var runtimes: [String: NodeRuntime] = [:]
        for member in members { runtimes[member] = try NodeRuntime(context: context(member)) }
        let started = runtimes
        return try await withThrowingTaskGroup(of: Void.self) { group in
            var awaited: [Int] = []
            for member in members {
                let runtime = started[member]!
                let app = try NodeServer.peerApplication(runtime, logLevel: .critical)
                group.addTask { try await app.run() }
                awaited.append(ports[member]!)
                if `internal` {
                    // Our own screening service (keyed-hash needs no peer client to shut down).
                    let internalApp = try InternalServer.application(runtime, screening: try ScreeningService(context: runtime.context))
                    group.addTask { try await internalApp.run() }
                    awaited.append(internalPorts[member]!)
                }
            }
            try await DemoRun.waitUntilListening(awaited)
            let result = try await body(started)
            group.cancelAll()
            return result
        }
    }

    /// One sync round at each member, in order; fails on any peer error.
    func syncAll(_ runtimes: [String: NodeRuntime], _ members: [String]) async throws {
        for member in members {
            let runtime = runtimes[member]!
            let client = runtime.makePeerClient()
            let results = await runtime.makeSyncRound(client: client).run()
            await client.shutdown()
            for result in results { if let error = result.error { Issue.record("\(member) ← \(result.member): \(error)") } }
        }
    }

    /// A client presenting the certificate `certs issue` wrote for `member` (nil: no certificate).
    func client(as member: String?) throws -> HTTPClient {
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

    func cleanUp() {
        for context in contexts.values { try? context.audit.flush() }
        try? FileManager.default.removeItem(at: root)
    }
}

/// One HTTP exchange for the tests: status and body, or the transport error.
struct HTTPAnswer: Sendable, CustomStringConvertible {
    let status: Int?
    let body: String
    let transportError: String?

    var description: String { status.map { "HTTP \($0) \(body.prefix(160))" } ?? "transport error: \(transportError ?? "?")" }

    static func fetch(_ client: HTTPClient, _ method: HTTPMethod, _ url: String, body: String? = nil,
                      headers: [(String, String)] = []) async -> HTTPAnswer {
        var request = HTTPClientRequest(url: url)
        request.method = method
        for (name, value) in headers { request.headers.add(name: name, value: value) }
        if let body {
            request.headers.add(name: "Content-Type", value: "application/json")
            request.body = .bytes(ByteBuffer(string: body))
        }
        do {
            let response = try await client.execute(request, timeout: .seconds(10))
            let buffer = try await response.body.collect(upTo: 64 << 20)
            return HTTPAnswer(status: Int(response.status.code), body: String(buffer: buffer), transportError: nil)
        } catch {
            return HTTPAnswer(status: nil, body: "", transportError: String(describing: error))
        }
    }
}

/// Reads a node's daily counters for today.
func todaysCounters(_ context: NodeContext) throws -> [String: Int] {
    try context.store.read { db in try DailyCounters.read(day: NodeClock.today(), db) }
}

/// Outbox records of one type at a node, as parsed JSON objects.
func outboxRecords(_ context: NodeContext, type: String) throws -> [[String: Any]] {
    try context.store.read { db in try Outbox.read(after: 0, limit: 100_000, db) }
        .compactMap { try? JSONSerialization.jsonObject(with: Data($0.json.utf8)) as? [String: Any] }
        .filter { $0["type"] as? String == type }
}
