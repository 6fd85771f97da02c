import AllianceTestSupport
import CoordinatorTestSupport
import ExchangeProtocol
import Foundation
import GRDB
import Testing

@testable import AlliancePKI
@testable import ExchangeDemo
@testable import ExchangeNode
@testable import ExchangeRuntime

/// A real node (store, imported entries, screening) reporting to a real coordinator over mTLS:
/// what arrives equals what the node counted, catching up and re-sending work, the coordinator's
/// home holds no identifier and no token, and the node installs the coordinator's revocation list.
@Suite("Coordinator and node reporting")
struct CoordinatorNodeReportingTests {
    static let screeningDay = Day(parsing: "2026-08-01")!

    /// The demo's identifiers in canonical and typed forms: none may reach the coordinator.
    static let identifiers = [
        "+8613800138000", "13800138000", "11010519491231002X", "91350100M000100Y43", "91350100m000100y43",
        "91110000600037341L", "shop.example.com", "reviews@example.com", "+8613912345678", "13912345678",
        "6222020200112233446", "taobao:bulk_seller_01", "+8615800001111", "com.example.fakeorders",
    ]

    /// A node home for `member`, with the demo's alpha-mall entries imported.
    static func node(_ member: String, in alliance: TestAlliance) throws -> NodeContext {
        let home = NodeHome(alliance.root.appendingPathComponent("node-\(member)").path)
        let config = NodeConfig(member: member, alliance: "Test Alliance", listen: "127.0.0.1:0", internalListen: "127.0.0.1:0",
                                coordinatorURL: alliance.coordinatorURL)
        try NodeSetup.create(home: home, config: config, certificatesFolder: URL(fileURLWithPath: alliance.ca.root))
        let context = try NodeContext(home: home)
        let entries = alliance.root.appendingPathComponent("\(member)-entries.csv")
        try DemoData.entries(for: "alpha-mall").write(to: entries, atomically: true, encoding: .utf8)
        _ = try EntryImporter(context: context).run(path: entries.path)
        return context
    }

    /// The node's own mTLS client, presenting `member`'s certificate.
    static func peerClient(_ member: String, in alliance: TestAlliance) throws -> PeerClient {
        let credentials = try MemberCredentials.load(memberDirectory: alliance.ca.memberDirectory(try MemberID(member)))
        return PeerClient(tls: credentials.clientTLSConfiguration(), timeout: .seconds(10))
    }

    static func screen(_ context: NodeContext, root: URL) async throws -> Int {
        let accounts = root.appendingPathComponent("accounts.csv")
        try DemoData.accounts.write(to: accounts, atomically: true, encoding: .utf8)
        let service = try ScreeningService(context: context)
        let summary = try await service.screenFile(path: accounts.path, day: screeningDay, record: true, progress: nil,
                                                   emit: { _ in }, reject: { _ in })
        return summary.matches.count
    }

    @Test("the coordinator holds exactly the node's counters; unchanged days are skipped, changed days replace")
    func nodeReportsAndCatchesUp() async throws {
        let alliance = try TestAlliance.withCoordinator()
        try await alliance.startCoordinator()
        let node = try Self.node("alpha", in: alliance)
        let matches = try await Self.screen(node, root: alliance.root)
        #expect(matches == 2)
        let client = try Self.peerClient("alpha", in: alliance)
        let today = NodeClock.today()
        let reporter = CounterReporter(context: node, coordinatorURL: alliance.coordinatorURL, client: client)

        let first = try await reporter.run(today: today)
        #expect(first.sent == [Self.screeningDay.description, today.description].sorted())
        #expect(first.refused.isEmpty)
        for day in first.sent {
            let local = try node.store.read { db in try DailyCounters.read(day: Day(parsing: day)!, db) }
            #expect(try alliance.coordinator.store.counters(member: "alpha", day: day) == local.filter { $0.value != 0 })
        }
        #expect(try alliance.coordinator.store.counters(member: "alpha", day: today.description)["entries.published"] == 5)
        #expect(try alliance.coordinator.store.counters(member: "alpha", day: "2026-08-01")["matches.origin.alpha"] == 2)

        // Nothing changed: nothing is sent.
        let second = try await reporter.run(today: today)
        #expect(second.sent.isEmpty)
        #expect(second.unchanged == 2)

        // Another screening the same day: only that day is re-sent, and it replaces the earlier report.
        let screenedBefore = try alliance.coordinator.store.counters(member: "alpha", day: "2026-08-01")["screened"] ?? 0
        _ = try await Self.screen(node, root: alliance.root)
        let third = try await reporter.run(today: today)
        #expect(third.sent == ["2026-08-01"])
        // Re-screening the same accounts finds no new matches (the counters count new matches, as
        // the outbox does), but the accounts were screened again.
        let resent = try alliance.coordinator.store.counters(member: "alpha", day: "2026-08-01")
        #expect(resent["matches"] == 2)
        #expect(resent["screened"] == 2 * screenedBefore)
        #expect(try alliance.coordinator.store.reports().first { $0.day == "2026-08-01" }?.revision == 2)

        // --since re-sends acknowledged days too.
        let forced = try await reporter.run(since: Self.screeningDay, resend: true, today: today)
        #expect(forced.sent.count == 2)
        await client.shutdown()

        // Grep of the coordinator's home and logs: no identifier, no token.
        try alliance.coordinator.audit.flush()
        let tokens = try node.store.read { db in try Data.fetchAll(db, sql: "SELECT token FROM entry_tokens") }
        #expect(tokens.count >= 6)
        var needles: [(String, Data)] = Self.identifiers.enumerated().map { ("identifier #\($0.offset)", Data($0.element.utf8)) }
        for (index, token) in tokens.enumerated() {
            needles.append(("token #\(index) raw", token))
            needles.append(("token #\(index) hex", Data(token.map { String(format: "%02x", $0) }.joined().utf8)))
            needles.append(("token #\(index) base64", Data(token.base64EncodedString().utf8)))
        }
        let files = LeakScanner.files(under: alliance.coordinatorHome.root)
        #expect(files.contains { $0.lastPathComponent == "reports.sqlite" })
        #expect(files.contains { $0.lastPathComponent == "coordinator.log" })
        var scanned = 0
        for file in files {
            let data = try Data(contentsOf: file)
            scanned += data.count
            for (name, needle) in needles where data.range(of: needle) != nil {
                Issue.record("\(name) found in \(file.lastPathComponent)")
            }
        }
        #expect(scanned > 0)
        // The needles are real: the node's own store holds the tokens.
        let nodeStore = try Data(contentsOf: node.home.storeFile) + ((try? Data(contentsOf: URL(fileURLWithPath: node.home.storeFile.path + "-wal"))) ?? Data())
        #expect(tokens.contains { nodeStore.range(of: $0) != nil })
        await alliance.stopCoordinator()
        alliance.shutdown()
    }

    @Test("a node installs the newer revocation list the coordinator publishes")
    func revocationListPulled() async throws {
        let alliance = try TestAlliance.withCoordinator()
        try await alliance.startCoordinator()
        let node = try Self.node("beta", in: alliance)
        let client = try Self.peerClient("beta", in: alliance)
        let pull = RevocationListPull(context: node, coordinatorURL: alliance.coordinatorURL, client: client)
        #expect(try await pull.run() == nil)  // the node's copy is the CA's
        try await Task.sleep(for: .milliseconds(1100))  // revocation lists are dated to the second
        let revocation = try alliance.ca.revoke(member: try MemberID("outsider"))
        #expect(try await pull.run() == 1)
        let installed = try RevocationList.load(path: node.home.revocationListFile.path, caCertificate: node.keys.caCertificate)
        #expect(installed.contains(serialHex: revocation.serialHex))
        #expect(alliance.coordinator.revocations.isRevoked(serialHex: revocation.serialHex))
        await client.shutdown()
        await alliance.stopCoordinator()
        alliance.shutdown()
    }
}
