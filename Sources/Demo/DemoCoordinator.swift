import AlliancePKI
import ExchangeAudit
import ExchangeCoordinator
import ExchangeCrypto
import ExchangeNode
import ExchangeProtocol
import ExchangeRuntime
import Foundation
import GRDB
import Hummingbird

/// The coordinator's part of `exchange-node demo`: its own home beside the demo CA, the three
/// nodes and an operator registered, its mTLS listener on a free port; nodes report after each
/// screening; the totals are reconciled with what the nodes counted and hold in their outboxes;
/// refused reports are shown; the dashboard (fetched over mTLS with the operator's certificate)
/// and the monthly reports are written into the demo folder; and the coordinator's home is
/// searched for the demo's identifiers and every token.
struct DemoCoordinator {
    let context: CoordinatorContext
    let port: Int
    let ca: AllianceDirectory
    let root: URL

    static let operatorID = "secretariat-ops"
    static let outsiderID = "not-a-member"

    static func create(root: URL, ca: AllianceDirectory, nodePorts: [String: Int]) throws -> DemoCoordinator {
        let port = try FreePort.find()
        for (member, role) in [("coordinator", MemberRole.coordinator), (operatorID, .operator), (outsiderID, .node)] {
            _ = try ca.issue(try MemberCertificateRequest(memberID: MemberID(member), role: role, ipAddresses: ["127.0.0.1"]))
        }
        let home = CoordinatorHome(root.appendingPathComponent("coordinator").path)
        let config = CoordinatorConfig(member: "coordinator", alliance: "Demo Anti-Fraud", listen: "127.0.0.1:\(port)",
                                       caDirectory: ca.root)
        try CoordinatorSetup.create(home: home, config: config, certificatesFolder: URL(fileURLWithPath: ca.root))
        var registry = MembershipRegistry()
        for (member, nodePort) in nodePorts.sorted(by: { $0.key < $1.key }) {
            registry.upsert(try MembershipRegistry.validated(member: member, role: .node, url: "https://127.0.0.1:\(nodePort)",
                                                             lists: ListKind.allCases))
        }
        registry.upsert(try MembershipRegistry.validated(member: operatorID, role: .operator, url: nil, lists: []))
        try registry.save(to: home)
        return DemoCoordinator(context: try CoordinatorContext(home: home, echoLog: false), port: port, ca: ca, root: root)
    }

    var url: String { "https://127.0.0.1:\(port)" }

    func application() throws -> some ApplicationProtocol {
        try CoordinatorServer.application(context, logLevel: .critical)
    }

    /// Every node sends the days the coordinator does not hold yet; then the totals are reconciled.
    func collect(_ runtimes: [String: NodeRuntime], say: (String) -> Void) async throws {
        var sent: [String] = []
        for member in runtimes.keys.sorted() {
            let runtime = runtimes[member]!
            let client = runtime.makePeerClient()
            let outcome = try await CounterReporter(context: runtime.context, coordinatorURL: url, client: client).run()
            await client.shutdown()
            if let refused = outcome.refused.first { throw NodeError.peer(member: "coordinator", reason: refused.reason) }
            sent.append("\(member) \(outcome.sent.count) day(s)")
        }
        say("nodes reported their daily counters to the coordinator (signed, mTLS): " + sent.joined(separator: ", "))
        try reconcile(runtimes.mapValues(\.context), say: say)
    }

    /// Coordinator totals against the nodes' own counters and outboxes.
    func reconcile(_ contexts: [String: NodeContext], say: (String) -> Void) throws {
        let statistics = try context.statistics()
        var nodeMatches = 0, outboxMatches = 0, outboxRetractions = 0
        var lines: [String] = []
        for member in contexts.keys.sorted() {
            let node = contexts[member]!
            let local = try node.store.read { db in
                try Int.fetchOne(db, sql: "SELECT COALESCE(SUM(value), 0) FROM counters WHERE key = 'matches'") ?? 0
            }
            let outbox = try node.store.read { db in try Outbox.read(after: 0, limit: 1_000_000, db) }
            let matchRecords = outbox.filter { $0.json.contains("\"type\":\"match\"") }.count
            let retractionRecords = outbox.filter { $0.json.contains("\"type\":\"retraction\"") }.count
            nodeMatches += local
            outboxMatches += matchRecords
            outboxRetractions += retractionRecords
            let summary = statistics.summary(member: member)
            lines.append("\(member): coordinator matches \(summary.matches) (node counted \(local)), retractions \(summary.retractions); "
                         + "outbox \(matchRecords) match + \(retractionRecords) retraction record(s)")
        }
        let total = statistics.total
        say("coordinator totals: screened \(total.screened), matches \(total.matches), distinct entries \(total.distinctEntries), "
            + "revocations \(total.revocations), retractions \(total.retractions), entries published \(total.entriesPublished)")
        for line in lines { print("           \(line)") }
        let perMember = statistics.members.reduce(0) { $0 + statistics.summary(member: $1).matches }
        guard perMember == total.matches, perMember == nodeMatches, total.retractions == outboxRetractions,
              statistics.totalsCheck().isEmpty else {
            throw NodeError.configuration("the coordinator's figures do not add up: \(statistics.totalsCheck())")
        }
        if perMember == outboxMatches {
            say("check: sum of per-member matches at the coordinator (\(perMember)) = match records in the members' outboxes (\(outboxMatches))")
        } else {
            say("check: sum of per-member matches at the coordinator (\(perMember)) = what the nodes counted (\(nodeMatches)); "
                + "the outboxes hold \(outboxMatches) match records, one per (account, entry) first seen, the other "
                + "\(perMember - outboxMatches) were found again by the re-screening")
        }
        say("check: retractions at the coordinator (\(total.retractions)) = retraction records in the outboxes (\(outboxRetractions))")
    }

    /// A tampered report and a CA-issued certificate that is not a member are refused (and audited).
    func showRefusals(_ gamma: NodeContext, say: (String) -> Void) async throws {
        let client = PeerClient(tls: (try MemberCredentials.load(memberDirectory: ca.memberDirectory(try MemberID(gamma.member))))
            .clientTLSConfiguration())
        let (report, _) = try CounterReporter(context: gamma, coordinatorURL: url, client: client).signedReport(for: NodeClock.today())
        var inflated = report.counters
        inflated["screened", default: 0] += 1000
        let tampered = DailyReport(member: report.member, day: report.day, counters: inflated, signature: report.signature)
        let (status, _) = try await client.call(.POST, url + "/v1/reports", body: try tampered.jsonBytes())
        await client.shutdown()
        let outsider = PeerClient(tls: (try MemberCredentials.load(memberDirectory: ca.memberDirectory(try MemberID(Self.outsiderID))))
            .clientTLSConfiguration())
        let forged = try DailyReport.signed(member: Self.outsiderID, day: NodeClock.today().description, counters: ["screened": 1],
                                            key: try KeyFile.readPrivateKey(path: ca.memberKeyPath(try MemberID(Self.outsiderID))))
        let (outsiderStatus, _) = try await outsider.call(.POST, url + "/v1/reports", body: try forged.jsonBytes())
        await outsider.shutdown()
        try context.audit.flush()
        let audit = (try? String(contentsOf: context.home.auditDirectory.appendingPathComponent(AuditLog.logFileName), encoding: .utf8)) ?? ""
        let refusals = audit.split(separator: "\n").filter { $0.contains("\"refused\"") }.count
        say("coordinator refused a report with a tampered count (HTTP \(status), bad signature) and one from a CA-issued "
            + "non-member certificate (HTTP \(outsiderStatus)); \(refusals) refusals in its audit log")
        guard status == 403, outsiderStatus == 403 else { throw NodeError.configuration("the coordinator accepted a report it must refuse") }
    }

    /// The dashboard (fetched over mTLS as the operator), the monthly reports, and the search of the coordinator's home.
    func publish(_ runtimes: [String: NodeRuntime], say: (String) -> Void) async throws {
        let contexts = runtimes.mapValues(\.context)
        let operatorClient = PeerClient(tls: (try MemberCredentials.load(memberDirectory: ca.memberDirectory(try MemberID(Self.operatorID))))
            .clientTLSConfiguration())
        let (status, body) = try await operatorClient.call(.GET, url + "/dashboard", limit: 16 << 20)
        await operatorClient.shutdown()
        let nodeClient = runtimes.values.first!.makePeerClient()
        let (nodeStatus, _) = try await nodeClient.call(.GET, url + "/dashboard")
        await nodeClient.shutdown()
        guard status == 200 else { throw NodeError.peer(member: "coordinator", reason: "dashboard answered HTTP \(status)") }
        let dashboard = root.appendingPathComponent("coordinator-dashboard.html")
        try SecureFile.writeAtomically(Data(body), to: dashboard, mode: 0o644)
        say("operator \(Self.operatorID) fetched GET /dashboard over mTLS (a node's certificate gets HTTP \(nodeStatus)) → \(dashboard.lastPathComponent)")
        let statistics = try context.statistics()
        for month in statistics.months {
            let written = try MonthlyReportWriter.write(statistics: statistics, month: month, alliance: context.config.alliance,
                                                        into: root.appendingPathComponent("reports"))
            say("monthly report \(month): reports/\(written.markdown.lastPathComponent), .html, .csv — matches \(written.statistics.total.matches), "
                + "screened \(written.statistics.total.screened), revocations \(written.statistics.total.revocations)")
        }
        print("           screenshot: scripts/dashboard-screenshot.sh \(dashboard.path) dashboard.png")
        let (files, findings) = try leakSearch(contexts, under: context.home.root)
        let control = contexts.keys.sorted().last!
        let (_, controlFindings) = try leakSearch(contexts, under: contexts[control]!.home.root)
        say("searched the coordinator's home and log (\(files) files) for the demo's identifiers and all "
            + "\(tokenCount(contexts)) tokens: \(findings.isEmpty ? "none found" : "FOUND " + findings.joined(separator: ", "))"
            + " (the same search over \(control)'s home finds \(controlFindings.count) hit(s): its store holds tokens)")
        guard findings.isEmpty else { throw NodeError.configuration("the coordinator's home holds subject data") }
    }

    private func tokenCount(_ contexts: [String: NodeContext]) -> Int {
        contexts.values.reduce(0) { total, node in
            total + ((try? node.store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM entry_tokens") ?? 0 }) ?? 0)
        }
    }

    /// Searches every file under `directory` (the coordinator's home) for the demo's identifiers (canonical and
    /// national forms) and the nodes' tokens (raw, hex, base64). Returns the files searched and what was found.
    func leakSearch(_ contexts: [String: NodeContext], under directory: URL) throws -> (files: Int, findings: [String]) {
        try context.audit.flush()
        var needles: [(String, Data)] = []
        for (index, identifier) in Self.demoIdentifiers().enumerated() {
            needles.append(("identifier #\(index)", Data(identifier.utf8)))
        }
        for node in contexts.values {
            let tokens = try node.store.read { db in try Data.fetchAll(db, sql: "SELECT DISTINCT token FROM entry_tokens") }
            for token in tokens {
                needles.append(("a token of \(node.member)", token))
                needles.append(("a token of \(node.member) (hex)", Data(Hex.encode(token).utf8)))
                needles.append(("a token of \(node.member) (base64)", Data(token.base64EncodedString().utf8)))
            }
        }
        let enumerator = FileManager.default.enumerator(at: directory, includingPropertiesForKeys: [.isRegularFileKey])
        var files = 0
        var findings: Set<String> = []
        while let file = enumerator?.nextObject() as? URL {
            guard (try? file.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true,
                  let data = try? Data(contentsOf: file) else { continue }
            files += 1
            for (name, needle) in needles where data.range(of: needle) != nil { findings.insert("\(name) in \(file.lastPathComponent)") }
        }
        return (files, findings.sorted())
    }

    /// Canonical forms (and national digits of phones) of every identifier in the demo's files.
    static func demoIdentifiers() -> [String] {
        var rows: [(kind: String, raw: String)] = []
        for member in DemoData.members {
            for line in DemoData.entries(for: member).split(separator: "\n").dropFirst() {
                let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
                if fields.count > 5 { rows.append((fields[4], fields[5])) }
            }
        }
        for line in DemoData.accounts.split(separator: "\n").dropFirst() {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            if fields.count > 2 { rows.append((fields[1], fields[2])) }
        }
        var out = Set<String>()
        for row in rows {
            guard let kind = IdentifierKind(rawValue: row.kind),
                  let identifier = try? SubjectIdentifier(kind: kind, parsing: row.raw) else { continue }
            out.insert(identifier.canonical)
            if identifier.canonical.hasPrefix("+86") { out.insert(String(identifier.canonical.dropFirst(3))) }
        }
        return out.sorted()
    }
}
