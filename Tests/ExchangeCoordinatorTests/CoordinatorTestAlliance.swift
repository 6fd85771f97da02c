import Foundation
import Hummingbird
import NIOHTTP1
import Testing

@testable import ExchangeNode

/// A throwaway alliance for coordinator tests: a CA folder with certificates for the coordinator,
/// two nodes (alpha, beta), an operator (ops) and a CA-issued outsider nobody registered; a
/// coordinator home beside the CA, with alpha, beta and ops registered; and, once started, the
/// coordinator's real mTLS listener on a loopback port.
final class CoordinatorTestAlliance: @unchecked Sendable {
    let root: URL
    let ca: AllianceDirectory
    let home: CoordinatorHome
    let context: CoordinatorContext
    private var server: Task<Void, any Error>?
    private(set) var port = 0

    static let nodes = ["alpha", "beta"]

    init() throws {
        root = URL(fileURLWithPath: NSTemporaryDirectory() + "coordinator-test-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        ca = AllianceDirectory(root.appendingPathComponent("ca").path)
        _ = try ca.initialise(allianceName: "Test Alliance")
        let issued: [(String, MemberRole)] = [("coordinator", .coordinator), ("alpha", .node), ("beta", .node),
                                              ("ops", .operator), ("outsider", .node)]
        for (member, role) in issued {
            _ = try ca.issue(try MemberCertificateRequest(memberID: MemberID(member), role: role, ipAddresses: ["127.0.0.1"]))
        }
        home = CoordinatorHome(root.appendingPathComponent("coordinator").path)
        let config = CoordinatorConfig(member: "coordinator", alliance: "Test Alliance", listen: "127.0.0.1:0", caDirectory: ca.root)
        try CoordinatorSetup.create(home: home, config: config, certificatesFolder: URL(fileURLWithPath: ca.root))
        var registry = MembershipRegistry()
        registry.upsert(try MembershipRegistry.validated(member: "alpha", role: .node, url: "https://127.0.0.1:7501", lists: [.black, .watch, .red]))
        registry.upsert(try MembershipRegistry.validated(member: "beta", role: .node, url: "https://127.0.0.1:7502", lists: [.black]))
        registry.upsert(try MembershipRegistry.validated(member: "ops", role: .operator, url: nil, lists: []))
        try registry.save(to: home)
        context = try CoordinatorContext(home: home, echoLog: false)
    }

    /// Starts the listener and waits until it accepts connections.
    func start() async throws {
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = try CoordinatorServer.application(context, listen: "127.0.0.1:0", logLevel: .critical) { port in
            continuation.yield(port)
            continuation.finish()
        }
        server = Task { try await app.run() }
        for await value in stream { port = value }
        #expect(port > 0)
    }

    var url: String { "https://127.0.0.1:\(port)" }

    /// An mTLS client presenting `member`'s certificate from the CA folder.
    func client(_ member: String) throws -> PeerClient {
        let credentials = try MemberCredentials.load(memberDirectory: ca.memberDirectory(try MemberID(member)))
        return PeerClient(tls: credentials.clientTLSConfiguration(), timeout: .seconds(10))
    }

    /// One call as `member`; the client is shut down afterwards.
    func call(_ member: String, _ method: HTTPMethod, _ path: String, body: [UInt8]? = nil) async throws -> (status: Int, body: String) {
        let client = try client(member)
        defer { Task { await client.shutdown() } }
        let (status, bytes) = try await client.call(method, url + path, body: body, limit: 8 << 20)
        await client.shutdown()
        return (status, String(decoding: bytes, as: UTF8.self))
    }

    /// A report signed with `signer`'s node key.
    func signedReport(member: String, day: String, counters: [String: Int], signer: String? = nil) throws -> DailyReport {
        let key = try KeyFile.readPrivateKey(path: ca.memberKeyPath(try MemberID(signer ?? member)))
        return try DailyReport.signed(member: member, day: day, counters: counters, key: key)
    }

    /// The coordinator's audit log and service log, as text.
    func auditText() throws -> String {
        try context.audit.flush()
        return try String(contentsOf: home.auditDirectory.appendingPathComponent(AuditLog.logFileName), encoding: .utf8)
    }

    func logText() throws -> String { (try? String(contentsOf: home.logFile, encoding: .utf8)) ?? "" }

    func stop() async {
        server?.cancel()
        _ = await server?.result
        try? context.audit.flush()
        try? FileManager.default.removeItem(at: root)
    }
}

/// Every regular file under a folder, recursively, hidden ones included.
func coordinatorTestFiles(under directory: URL) -> [URL] {
    guard let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey]) else {
        return []
    }
    return enumerator.compactMap { $0 as? URL }.filter {
        (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true
    }
}
