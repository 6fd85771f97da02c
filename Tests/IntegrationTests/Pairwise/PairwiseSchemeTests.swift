import AllianceTestSupport
import ExchangeCrypto
import ExchangeProtocol
import ExchangeRuntime
import Foundation
import NodeTestSupport
import Testing

@testable import ExchangeAudit
@testable import ExchangeDemo
@testable import ExchangeNode

/// The pairwise (ecdh-x25519) scheme against the keyed-hash one, on the demo's three-member
/// scenario with real certificates, real TLS on loopback and real SQLite files.
@Suite(.serialized) struct PairwiseSchemeTests {
    /// Sets up the demo alliance under `scheme`, imports each member's entries, syncs everyone,
    /// runs `body` with the peer servers up, then stops them.
    static func withAlliance<T: Sendable>(
        scheme: TokenSchemeID, budgets: [String: Int] = [:],
        _ body: @Sendable (TestAlliance) async throws -> T
    ) async throws -> T {
        let alliance = try TestAlliance("pairwise", nodes: DemoData.members, allianceName: "test", scheme: scheme)
        defer { alliance.shutdown() }
        for (member, budget) in budgets {
            // budgets[member] is what every other member may ask `member` to mask per day.
            for other in DemoData.members where other != member {
                var peer = alliance.context(member).peers.peers[other]!
                peer.dailyMaskingBudget = budget
                try PeerDirectory(peers: [:]).save(peer, to: alliance.home(member))
            }
        }
        for member in DemoData.members {
            try alliance.reopen(member)
            try alliance.importFile(member, DemoData.entries(for: member))
        }
        return try await alliance.withServers(DemoData.members) { runtimes in
            try await alliance.syncAll(runtimes, DemoData.members)
            return try await body(alliance)
        }
    }

    static func accounts() throws -> [Screener.Account] {
        try DemoData.accounts.split(separator: "\n").dropFirst().compactMap { line in
            let fields = line.split(separator: ",", omittingEmptySubsequences: false).map(String.init)
            guard fields.count == 3, let kind = IdentifierKind(rawValue: fields[1]),
                  let identifier = try? SubjectIdentifier(kind: kind, parsing: fields[2]) else { return nil }
            return Screener.Account(ref: fields[0], identifier: identifier)
        }
    }

    static func screen(_ context: NodeContext, day: String = "2026-08-01") async throws -> Set<String> {
        let client = try NodeRuntime(context: context).makePeerClient()
        let matches: [[ScreenMatch]]
        do {
            let service = try ScreeningService(context: context, client: client)
            matches = try await service.engine.screen(try accounts(), on: Day(parsing: day)!)
        } catch {
            await client.shutdown()
            throw error
        }
        await client.shutdown()
        return Set(matches.flatMap { $0 }.map { "\($0.ref) \($0.origin) \($0.entryID) \($0.measures.joined(separator: ","))" })
    }

    @Test func bothSchemesGiveExactlyTheSameMatches() async throws {
        let keyed = try await Self.withAlliance(scheme: .keyedHash) { try await Self.screen($0.contexts["gamma-pay"]!) }
        let pairwise = try await Self.withAlliance(scheme: .ecdhX25519) { try await Self.screen($0.contexts["gamma-pay"]!) }
        #expect(keyed.count == 6)
        #expect(keyed == pairwise)
    }

    @Test func withoutAMaskingRequestToTheOriginNothingMatches() async throws {
        try await Self.withAlliance(scheme: .ecdhX25519) { alliance in
            let gamma = alliance.contexts["gamma-pay"]!
            let key = try #require(gamma.keys.pairwiseKey)
            let index = try TokenIndex.load(from: gamma.store, scheme: .ecdhX25519, epoch: nil)
            let resolver = EntryResolver(store: gamma.store)
            // Everything gamma can compute offline for an identifier alpha listed (AM-002's USCC):
            let identifier = try SubjectIdentifier(kind: .uscc, parsing: "91350100M000100Y43")
            let point = PairwiseMaskingKey.point(for: identifier)
            let offline = [point, try key.mask(point), KeyedHashTokenizer(key: gamma.keys.tokenKey).token(for: identifier)]
            for value in offline {
                let candidates = index.candidates(for: value).map { EntryResolver.Candidate(row: $0, token: value, origin: "alpha-mall") }
                #expect(try resolver.resolve(candidates).compactMap { $0 }.isEmpty)
            }
            // Only alpha's own mask of gamma's query finds it — and alpha records the request.
            let client = try NodeRuntime(context: gamma).makePeerClient()
            let engine = try ScreeningService(context: gamma, client: client).engine
            guard case .pairwise(let screener) = engine else {
                await client.shutdown()
                Issue.record("expected the pairwise engine")
                return
            }
            let answer = try await screener.maskedByPeer([try key.mask(point)], peer: gamma.peers.peers["alpha-mall"]!)
            await client.shutdown()
            let found = try resolver.resolve(index.candidates(for: answer[0]).map { .init(row: $0, token: answer[0], origin: "alpha-mall") })
            #expect(found.compactMap { $0?.entryID } == ["AM-002"])
            try alliance.contexts["alpha-mall"]!.audit.flush()
            let records = try AuditLog.records(directory: alliance.contexts["alpha-mall"]!.home.auditDirectory.path, filter: AuditFilter())
            #expect(records.records.contains { $0.action == "mask" && $0.actor == "gamma-pay" && $0.outcome == .ok })
        }
    }

    /// Screens the demo accounts at `context` and returns the whole outcome (matches, stale and unreachable origins).
    static func screenReporting(_ context: NodeContext, day: String = "2026-08-01") async throws -> ScreeningOutcome {
        let client = try NodeRuntime(context: context).makePeerClient()
        do {
            let service = try ScreeningService(context: context, client: client)
            let outcome = try await service.engine.screenReporting(try accounts(), on: Day(parsing: day)!)
            await client.shutdown()
            return outcome
        } catch {
            await client.shutdown()
            throw error
        }
    }

    @Test func maskingBeyondTheDailyBudgetIsRefusedAndRecorded() async throws {
        try await Self.withAlliance(scheme: .ecdhX25519, budgets: ["alpha-mall": 5]) { alliance in
            let gamma = alliance.contexts["gamma-pay"]!
            // 7 accounts > budget 5: alpha refuses; gamma reports it and still screens against the others.
            let outcome = try await Self.screenReporting(gamma)
            #expect(outcome.unreachableOrigins.map(\.member) == ["alpha-mall"], "\(outcome.unreachableOrigins)")
            #expect(outcome.unreachableOrigins.first?.reason.contains("429") == true, "\(outcome.unreachableOrigins)")
            let origins = Set(outcome.matches.flatMap { $0 }.map(\.origin))
            #expect(!origins.contains("alpha-mall") && !origins.isEmpty, "\(origins)")
            let alpha = alliance.contexts["alpha-mall"]!
            try alpha.audit.flush()
            let records = try AuditLog.records(directory: alpha.home.auditDirectory.path, filter: AuditFilter())
            #expect(records.records.contains { $0.action == "mask" && $0.actor == "gamma-pay" && $0.outcome == .refused })
            let used = try alpha.store.read { db in try Int.fetchOne(db, sql: "SELECT SUM(used) FROM masking_usage") }
            #expect(used == nil || used! <= 5)
        }
    }

    @Test func aPeerThatIsDownIsReportedAndTheOthersStillCount() async throws {
        try await Self.withAlliance(scheme: .ecdhX25519) { alliance in
            let gamma = alliance.contexts["gamma-pay"]!
            let all = try await Self.screenReporting(gamma)
            #expect(all.unreachableOrigins.isEmpty)
            // beta-rides' endpoint now points at a port nobody listens on.
            var beta = gamma.peers.peers["beta-rides"]!
            beta.url = "https://127.0.0.1:\(try FreePort.find())"
            try PeerDirectory(peers: [:]).save(beta, to: gamma.home)
            let outcome = try await Self.screenReporting(try NodeContext(home: gamma.home))
            #expect(outcome.unreachableOrigins.map(\.member) == ["beta-rides"], "\(outcome.unreachableOrigins)")
            let expected = all.matches.flatMap { $0 }.filter { $0.origin != "beta-rides" }.map(\.jsonLine)
            #expect(outcome.matches.flatMap { $0 }.map(\.jsonLine) == expected)
            #expect(all.matches.flatMap { $0 }.contains { $0.origin == "beta-rides" }, "the scenario should have a beta-rides match to lose")
        }
    }

    @Test func lowOrderValuesAreRefused() throws {
        let key = PairwiseMaskingKey.generate(epoch: 1)
        #expect(throws: MaskingError.zeroValue) { try key.mask(Token(w0: 0, w1: 0, w2: 0, w3: 0)) }
        // u = 1 is a low-order point: X25519 gives all zeros, which must be refused, not returned.
        let one = Token(bytes: [1] + [UInt8](repeating: 0, count: 31))!
        #expect(throws: MaskingError.zeroValue) { try key.mask(one) }
        #expect(throws: WireError.malformed("all-zero value refused")) {
            try MaskMessage.decodeRequest(MaskMessage.encodeRequest([Token(w0: 0, w1: 0, w2: 0, w3: 0)]))
        }
    }

    @Test func maskingCommutes() throws {
        let a = PairwiseMaskingKey.generate(epoch: 1), b = PairwiseMaskingKey.generate(epoch: 1)
        for index in 0..<200 {
            let point = PairwiseMaskingKey.point(for: SubjectIdentifier(kind: .phone, uncheckedCanonical: "+86139\(String(format: "%08d", index))"))
            #expect(try a.mask(b.mask(point)) == b.mask(a.mask(point)))
        }
    }
}
