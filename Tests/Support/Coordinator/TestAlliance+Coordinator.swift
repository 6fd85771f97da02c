import AlliancePKI
import AllianceTestSupport
import Crypto
import ExchangeAudit
import ExchangeCoordinator
import ExchangeProtocol
import Foundation
import NIOHTTP1
import Testing

/// The alliance's coordinator in process: its home made with the coordinator library beside the CA, its
/// real mTLS listener run as a task of the test, and calls to it presenting members' certificates.
extension TestAlliance {
    /// The node members the coordinator registers (with an operator `ops` and a CA-issued `outsider` nobody registered).
    package static let coordinatorNodes = ["alpha", "beta"]

    /// Creates the CA (when there is none yet), certificates for the coordinator, the nodes alpha and beta,
    /// an operator `ops` and an `outsider`, a coordinator home beside the CA with alpha, beta and ops
    /// registered, and opens it.
    @discardableResult
    package func openCoordinator() throws -> CoordinatorContext {
        if !FileManager.default.fileExists(atPath: ca.caCertificatePath) { try initialiseCA() }
        let issued: [(String, MemberRole)] = [("coordinator", .coordinator), ("alpha", .node), ("beta", .node),
                                              ("ops", .operator), ("outsider", .node)]
        for (member, role) in issued { try issueCertificate(member, role: role) }
        let config = CoordinatorConfig(member: "coordinator", alliance: "Test Alliance", listen: "127.0.0.1:0", caDirectory: ca.root)
        try CoordinatorSetup.create(home: coordinatorHome, config: config, certificatesFolder: URL(fileURLWithPath: ca.root))
        var registry = MembershipRegistry()
        registry.upsert(try MembershipRegistry.validated(member: "alpha", role: .node, url: "https://127.0.0.1:7501", lists: [.black, .watch, .red]))
        registry.upsert(try MembershipRegistry.validated(member: "beta", role: .node, url: "https://127.0.0.1:7502", lists: [.black]))
        registry.upsert(try MembershipRegistry.validated(member: "ops", role: .operator, url: nil, lists: []))
        try registry.save(to: coordinatorHome)
        let context = try CoordinatorContext(home: coordinatorHome, echoLog: false)
        keep(context, for: "coordinator")
        return context
    }

    package var coordinatorHome: CoordinatorHome { CoordinatorHome(path("coordinator").path) }
    package var coordinator: CoordinatorContext { kept("coordinator")! }

    /// Starts the coordinator's listener on a free port and waits until it accepts connections.
    package func startCoordinator() async throws {
        let (stream, continuation) = AsyncStream.makeStream(of: Int.self)
        let app = try CoordinatorServer.application(coordinator, listen: "127.0.0.1:0", logLevel: .critical) { port in
            continuation.yield(port)
            continuation.finish()
        }
        keep(Task { try await app.run() }, for: "coordinator.server")
        var port = 0
        for await value in stream { port = value }
        #expect(port > 0)
        keep(port, for: "coordinator.port")
    }

    package var coordinatorURL: String { "https://127.0.0.1:\(kept("coordinator.port", as: Int.self) ?? 0)" }

    /// One call to the coordinator as `member` (its certificate from the CA folder).
    package func call(_ member: String, _ method: HTTPMethod, _ path: String, body: [UInt8]? = nil) async throws -> (status: Int, body: String) {
        let client = try client(as: member)
        let answer = await HTTPAnswer.fetch(client, method, coordinatorURL + path, bytes: body)
        try await client.shutdown()
        guard let status = answer.status else { throw HarnessError("\(method) \(path) as \(member): \(answer)") }
        return (status, answer.body)
    }

    /// A daily report signed with `signer`'s node key (by default the member's own).
    package func signedReport(member: String, day: String, counters: [String: Int], signer: String? = nil) throws -> DailyReport {
        let key = try KeyFile.readPrivateKey(path: ca.memberKeyPath(try MemberID(signer ?? member)))
        return try DailyReport.signed(member: member, day: day, counters: counters, key: key)
    }

    /// The coordinator's audit log, as text.
    package func coordinatorAuditText() throws -> String {
        try coordinator.audit.flush()
        return try String(contentsOf: coordinatorHome.auditDirectory.appendingPathComponent(AuditLog.logFileName), encoding: .utf8)
    }

    /// The coordinator's service log, as text.
    package func coordinatorLogText() throws -> String { (try? String(contentsOf: coordinatorHome.logFile, encoding: .utf8)) ?? "" }

    /// Stops the listener (if started) and flushes the audit log.
    package func stopCoordinator() async {
        if let server = kept("coordinator.server", as: Task<Void, any Error>.self) {
            server.cancel()
            _ = await server.result
        }
        try? kept("coordinator", as: CoordinatorContext.self)?.audit.flush()
    }
}

extension TestAlliance {
    /// A fresh folder with the coordinator opened (see ``openCoordinator()``).
    package static func withCoordinator(_ name: String = "coordinator") throws -> TestAlliance {
        let alliance = try TestAlliance(name)
        try alliance.openCoordinator()
        return alliance
    }
}
