import AllianceTestSupport
import ExchangeProtocol
import Foundation

/// An alliance of real `exchange-node` processes for the watch tests: one CA, node homes that all
/// know each other, `serve` processes (peer listener and internal API, no sync loop unless asked),
/// and helpers to read what a member's systems would read (the outbox) and what a screen gives.
struct WatchScene {
    let alliance: TestAlliance
    let nodes: [String: TestNode]

    /// `budgets[node][peer]`: what `peer` may ask `node` to mask per day (pairwise scheme).
    static func make(_ name: String, members: [String], scheme: String, budgets: [String: [String: Int]] = [:]) async throws -> WatchScene {
        let alliance = try TestAlliance(name)
        do {
            try await alliance.createCA()
            var nodes: [String: TestNode] = [:]
            for member in members { nodes[member] = try await alliance.createNode(member, arguments: ["--scheme", scheme]) }
            for member in members {
                for peer in members where peer != member {
                    let budget = budgets[member]?[peer] ?? 1_000_000
                    try await alliance.must(["peers", "add", "--home", nodes[member]!.home.path, "--member", peer,
                                             "--url", nodes[peer]!.peerURL, "--budget", String(budget)])
                }
            }
            return WatchScene(alliance: alliance, nodes: nodes)
        } catch {
            alliance.shutdown()
            throw error
        }
    }

    func node(_ member: String) -> TestNode { nodes[member]! }

    /// Starts `serve --no-sync` for each member (`environment` e.g. moves its calendar).
    @discardableResult
    func serve(_ members: [String], environment: [String: String]? = nil) async throws -> [String: ChildProcess] {
        var servers: [String: ChildProcess] = [:]
        for member in members { servers[member] = try await alliance.serve(node(member), environment: environment) }
        return servers
    }

    /// Runs `exchange-node COMMAND --home HOME REST...`, which must succeed.
    @discardableResult
    func must(_ member: String, _ command: [String], _ rest: [String] = [], environment: [String: String]? = nil) async throws -> ProcessResult {
        try await alliance.must(command + ["--home", node(member).home.path] + rest, environment: environment)
    }

    /// Runs `exchange-node COMMAND --home HOME REST...` to the end, whatever its exit status.
    func run(_ member: String, _ command: [String], _ rest: [String] = [], environment: [String: String]? = nil) async throws -> ProcessResult {
        try await alliance.run(command + ["--home", node(member).home.path] + rest, environment: environment)
    }

    /// `import` of entries given as CSV rows (the header is added).
    func importEntries(_ member: String, _ rows: [String], name: String) async throws -> ProcessResult {
        let file = try alliance.write(FaultFixtures.header + "\n" + rows.joined(separator: "\n") + "\n", to: "\(member)-\(name).csv")
        return try await must(member, ["import"], [file.path])
    }

    /// Writes an accounts file (`ref,kind,identifier` rows; the header is added).
    func accounts(_ rows: [String], name: String) throws -> URL {
        try alliance.write("ref,kind,identifier\n" + rows.joined(separator: "\n") + "\n", to: name)
    }

    /// One `sync` round of `member`; every peer must answer.
    @discardableResult
    func sync(_ member: String, environment: [String: String]? = nil) async throws -> ProcessResult {
        let run = try await alliance.run(["sync", "--home", node(member).home.path], environment: environment)
        guard run.succeeded else { throw HarnessError("sync \(member) failed: \(run)") }
        return run
    }

    /// `ref origin entry_id` of each match a `screen --no-record` of `file` gives today.
    func screen(_ member: String, _ file: URL) async throws -> [String] {
        let out = alliance.path("screen-\(member)-\(UUID().uuidString.prefix(6)).jsonl")
        let run = try await alliance.run(["screen", "--home", node(member).home.path, file.path, "--out", out.path, "--no-record"])
        guard run.succeeded else { throw HarnessError("screen \(member) failed: \(run)") }
        let text = try String(contentsOf: out, encoding: .utf8)
        return text.split(separator: "\n").compactMap { WatchRecord(json: String($0))?.key }.sorted()
    }

    /// The member's outbox, as its systems read it.
    func outbox(_ member: String) throws -> [WatchRecord] {
        try FaultStore(node(member)).outbox().compactMap { WatchRecord(json: $0.body, seq: $0.seq) }
    }

    /// `watch status --json`.
    func status(_ member: String) async throws -> [String: Any] {
        let run = try await must(member, ["watch", "status"], ["--json"])
        return try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any] ?? [:]
    }

    /// The status line of one peer: `(covered, pending, key epoch, stale, over budget today)`.
    func coverage(_ member: String, peer: String) async throws -> (covered: Int, pending: Int, epoch: Int?, stale: Bool, overBudget: Bool) {
        let peers = try await status(member)["peers"] as? [[String: Any]] ?? []
        guard let line = peers.first(where: { $0["member"] as? String == peer }) else { throw HarnessError("no status for \(peer)") }
        return (line["covered"] as? Int ?? -1, line["pending"] as? Int ?? -1, line["key_epoch"] as? Int,
                line["stale"] as? Bool ?? false, line["over_budget_today"] as? Bool ?? false)
    }

    /// The day `offset` days from the node's real today (UTC).
    static func day(_ offset: Int) -> String {
        Day.utc(unixSeconds: Int64(Date().timeIntervalSince1970)).adding(days: offset).description
    }
}

/// One outbox record (or screen line), the fields the tests compare.
struct WatchRecord: Sendable, Equatable {
    let seq: Int64
    let type: String
    let ref: String
    let kind: String
    let origin: String
    let entryID: String
    let reason: String?
    let source: String?

    init?(json: String, seq: Int64 = 0) {
        guard let object = try? JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any],
              let ref = object["ref"] as? String, let origin = object["origin"] as? String,
              let entryID = object["entry_id"] as? String else { return nil }
        self.seq = seq
        type = object["type"] as? String ?? "match"
        self.ref = ref
        kind = object["kind"] as? String ?? ""
        self.origin = origin
        self.entryID = entryID
        reason = object["reason"] as? String
        source = object["source"] as? String
    }

    /// `ref origin entry_id`.
    var key: String { "\(ref) \(origin) \(entryID)" }
}

extension Array where Element == WatchRecord {
    /// Sorted keys of the records of one type.
    func keys(_ type: String) -> [String] { filter { $0.type == type }.map(\.key).sorted() }
}
