import AlliancePKI
import AllianceTestSupport
import ExchangeCrypto
import ExchangeNode
import ExchangeProtocol
import ExchangeRuntime
import Foundation
import Testing

/// The alliance's nodes in process: homes made with the node library, opened as `NodeContext`s, their
/// listeners run as tasks of the test. The same folders and certificates as the process-level API.
extension TestAlliance {
    /// The listing dates ``importEntries(_:_:)`` gives every row.
    package static let listedOn = "2026-01-15"
    package static let expiresOn = "2030-12-31"

    /// Creates the CA (when there is none yet), a certificate and a node home for each member on free
    /// loopback ports, certificates for `extraCertificates` (callers that are not among the nodes), and
    /// opens every home. `peer(member, other, url)` gives the peers-file entry `member` keeps for `other`
    /// (nil: none); by default every member knows every other (and every extra certificate) as a node.
    package func openNodes(
        _ members: [String], allianceName: String = "Test Alliance", scheme: TokenSchemeID = .keyedHash,
        extraCertificates: [(String, MemberRole)] = [],
        peer: (String, String, String) -> PeerConfig? = { _, other, url in PeerConfig(member: other, url: url) }
    ) throws {
        if !FileManager.default.fileExists(atPath: ca.caCertificatePath) { try initialiseCA(allianceName: allianceName) }
        for member in members {
            let node = TestNode(member: member, home: path("home-\(member)"), peerPort: try FreePort.find(),
                                internalPort: try FreePort.find())
            keep(node, for: "node:" + member)
            try issueCertificate(member)
            let config = NodeConfig(member: member, alliance: allianceName, listen: "127.0.0.1:\(node.peerPort)",
                                    internalListen: "127.0.0.1:\(node.internalPort)", scheme: scheme)
            try NodeSetup.create(home: home(member), config: config, certificatesFolder: URL(fileURLWithPath: ca.root))
        }
        for (member, role) in extraCertificates { try issueCertificate(member, role: role) }
        for member in members {
            for other in members + extraCertificates.map(\.0) where other != member {
                let url = "https://127.0.0.1:\(kept("node:" + other, as: TestNode.self)?.peerPort ?? 1)"
                if let config = peer(member, other, url) { try PeerDirectory(peers: [:]).save(config, to: home(member)) }
            }
            try reopen(member)
        }
    }

    /// The node `member` opened by ``openNodes(_:allianceName:scheme:extraCertificates:peer:)``.
    package func node(_ member: String) -> TestNode { kept("node:" + member)! }
    package func home(_ member: String) -> NodeHome { NodeHome(path("home-\(member)").path) }
    package func context(_ member: String) -> NodeContext { kept("context:" + member)! }
    package func url(_ member: String) -> String { node(member).peerURL }

    /// Every opened node's context, by member.
    package var contexts: [String: NodeContext] {
        Dictionary(uniqueKeysWithValues: allKept(NodeContext.self).map { (String($0.key.dropFirst("context:".count)), $0.value) })
    }

    /// Re-opens a member's home (after its peers files or node.json changed).
    package func reopen(_ member: String) throws { keep(try NodeContext(home: home(member)), for: "context:" + member) }

    /// Closes a member's home (its store and audit log), as a stopped node would leave it.
    package func closeNode(_ member: String) { forget("context:" + member) }

    /// Imports `rows` (`entry_id,list,category,severity,kind,identifier`, listed ``listedOn`` to ``expiresOn``).
    package func importEntries(_ member: String, _ rows: [String]) throws {
        let text = "entry_id,list,category,severity,kind,identifier,listed_on,expires_on\n"
            + rows.map { $0 + ",\(Self.listedOn),\(Self.expiresOn)" }.joined(separator: "\n") + "\n"
        _ = try EntryImporter(context: context(member)).run(path: try write(text, to: "\(member)-entries-\(UUID().uuidString).csv").path)
    }

    /// Imports an entries file's text as it is.
    package func importFile(_ member: String, _ text: String) throws {
        _ = try EntryImporter(context: context(member)).run(path: try write(text, to: "\(member)-entries-\(UUID().uuidString).csv").path)
    }

    /// Screens `accounts` (`ref,kind,identifier` rows) at `member` on `day` (today by default) and records
    /// the matches; returns their number.
    package func screen(_ member: String, _ accounts: [String], day: Day = NodeClock.today()) async throws -> Int {
        let file = try write("ref,kind,identifier\n" + accounts.joined(separator: "\n") + "\n", to: "\(member)-accounts-\(UUID().uuidString).csv")
        let service = try ScreeningService(context: context(member))
        let summary = try await service.screenFile(path: file.path, day: day, record: true, progress: nil, emit: { _ in }, reject: { _ in })
        return summary.matches.count
    }

    /// Runs `body` while every listed member's peer listener (and, if asked, internal listener) runs.
    package func withServers<T: Sendable>(_ members: [String], internal: Bool = false,
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
                awaited.append(node(member).peerPort)
                if `internal` {
                    // Our own screening service (keyed-hash needs no peer client to shut down).
                    let internalApp = try InternalServer.application(runtime, screening: try ScreeningService(context: runtime.context))
                    group.addTask { try await internalApp.run() }
                    awaited.append(node(member).internalPort)
                }
            }
            try await FreePort.waitUntilListening(awaited)
            let result = try await body(started)
            group.cancelAll()
            return result
        }
    }

    /// One sync round at each member, in order; records an issue for any peer error.
    package func syncAll(_ runtimes: [String: NodeRuntime], _ members: [String]) async throws {
        for member in members {
            for result in await runtimes[member]!.syncOnce() {
                if let error = result.error { Issue.record("\(member) ← \(result.member): \(error)") }
            }
        }
    }
}

extension NodeRuntime {
    /// One sync round with every peer node, with a client of its own; the result per peer.
    package func syncOnce() async -> [SyncRound.PeerResult] {
        let client = makePeerClient()
        let results = await makeSyncRound(client: client).run()
        await client.shutdown()
        return results
    }
}

extension TestAlliance {
    /// Creates `members`' node homes in process and opens them (see ``openNodes(_:allianceName:scheme:extraCertificates:peer:)``).
    package convenience init(
        _ name: String, nodes members: [String], allianceName: String = "Test Alliance", scheme: TokenSchemeID = .keyedHash,
        extraCertificates: [(String, MemberRole)] = [],
        peer: (String, String, String) -> PeerConfig? = { _, other, url in PeerConfig(member: other, url: url) }
    ) throws {
        try self.init(name)
        try openNodes(members, allianceName: allianceName, scheme: scheme, extraCertificates: extraCertificates, peer: peer)
    }
}

/// A node's daily counters for today.
package func todaysCounters(_ context: NodeContext) throws -> [String: Int] {
    try context.store.read { db in try DailyCounters.read(day: NodeClock.today(), db) }
}

/// A node's outbox records of one type, as parsed JSON objects.
package func outboxRecords(_ context: NodeContext, type: String) throws -> [[String: Any]] {
    try context.store.read { db in try Outbox.read(after: 0, limit: 100_000, db) }
        .compactMap { try? JSONSerialization.jsonObject(with: Data($0.json.utf8)) as? [String: Any] }
        .filter { $0["type"] as? String == type }
}

/// The text of a home's audit files, for "this never appears" checks.
package func auditText(of home: NodeHome) throws -> String {
    let directory = home.auditDirectory
    var text = ""
    for name in try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted() {
        text += (try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)) ?? ""
    }
    return text
}
