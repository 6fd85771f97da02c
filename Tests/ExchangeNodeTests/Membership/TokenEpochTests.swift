import AllianceTestSupport
import Crypto
import ExchangeCrypto
import ExchangeProtocol
import ExchangeRuntime
import Foundation
import GRDB
import NodeTestSupport
import Testing

@testable import ExchangeNode

/// A node's side of the keyed-hash changeover (docs/membership.md, 1), in process on real homes and
/// SQLite files: moving, screening across epochs, retiring, kills, races and late events.
@Suite("Membership: token key epochs at a node", .serialized)
struct TokenEpochTests {
    static let day = Day(parsing: "2026-08-01")!

    static func phone(_ index: Int) -> String { "+861399" + String(format: "%07d", index) }

    /// alpha lists phones 0..<4, beta 4..<8; alpha holds beta's feed.
    static func alliance(_ name: String) throws -> TestAlliance {
        let alliance = try TestAlliance(name, nodes: ["alpha", "beta"])
        try alliance.importEntries("alpha", (0..<4).map { "A\($0),black,brushing,2,phone,\(phone($0))" })
        try alliance.importEntries("beta", (4..<8).map { "B\($0),black,brushing,2,phone,\(phone($0))" })
        try copyFeed(from: alliance.context("beta"), to: alliance.context("alpha"))
        return alliance
    }

    /// Applies `origin`'s whole feed at `receiver` (what a sync does, without the network).
    static func copyFeed(from origin: NodeContext, to receiver: NodeContext) throws {
        let cursor = try receiver.store.read { db in try Cursors.get(origin: origin.member, db) }
        let encoded = try FeedBuilder(member: origin.member, certificateDER: origin.keys.certificateDER, store: origin.store)
            .encodedPage(after: cursor, limit: 10_000, lists: ListKind.allCases)
        let page = try FeedPage(decoding: encoded.bytes)
        _ = try FeedApplier(store: receiver.store).apply(page, expectedCursor: cursor)
    }

    static func accounts() throws -> [Screener.Account] {
        try (0..<10).map { Screener.Account(ref: "acct-\($0)", identifier: try SubjectIdentifier(kind: .phone, parsing: phone($0))) }
    }

    /// `ref origin entry` of each match, and the stale origins, screening at `context` as `serve` would.
    static func screen(_ context: NodeContext) async throws -> (matches: Set<String>, stale: [StaleOrigin]) {
        let outcome = try await ScreeningService(context: context).screenFresh(try accounts(), on: day)
        return (Set(outcome.matches.flatMap { $0 }.map { "\($0.ref) \($0.origin) \($0.entryID)" }), outcome.staleOrigins)
    }

    static func storeBytes(_ home: NodeHome) -> Data {
        ((try? Data(contentsOf: home.storeFile)) ?? Data()) + ((try? Data(contentsOf: URL(fileURLWithPath: home.storeFile.path + "-wal"))) ?? Data())
    }

    static func tokens(_ key: AllianceTokenKey, _ range: Range<Int>) throws -> [Data] {
        try range.map { Data(KeyedHashTokenizer(key: key).token(for: try SubjectIdentifier(kind: .phone, parsing: phone($0))).bytes) }
    }

    @Test("moving re-issues every own entry under the new epoch in one transaction, and screening spans both epochs")
    func movingReissuesOwnEntriesAndScreeningSpansBothEpochs() async throws {
        let alliance = try Self.alliance("epoch-move")
        defer { alliance.shutdown() }
        let alpha = alliance.context("alpha")
        let before = try await Self.screen(alpha)
        #expect(before.matches.count == 8 && before.stale.isEmpty)
        let epoch2 = AllianceTokenKey.generate(epoch: 2, created: "test")
        let outcome = try TokenEpochChangeover(context: alpha, target: epoch2).run()
        #expect(outcome.fromEpoch == 1 && outcome.toEpoch == 2 && outcome.ownEntries == 4 && outcome.ownTokens == 4)

        let home = alliance.home("alpha")
        #expect(try NodeKeys.loadTokenKey(home.tokenKeyFile) == epoch2)
        #expect(try NodeKeys.loadTokenKey(home.tokenKeyEpochFile(1)).epoch == 1)
        #expect(!FileManager.default.fileExists(atPath: home.tokenKeyNextFile.path))
        let reopened = try NodeContext(home: home)
        let events = try reopened.store.read { db in
            try Data.fetchAll(db, sql: "SELECT event FROM entries WHERE origin = 'alpha'").map { try EntryEvent(canonical: [UInt8]($0)) }
        }
        #expect(events.count == 4 && events.allSatisfy { $0.scheme.epoch == 2 && $0.version == 2 })
        #expect(Set(events.flatMap(\.tokens).map { Data($0.bytes) }) == Set(try Self.tokens(epoch2, 0..<4)))
        // Own entries under 2, beta's under 1: the same matches, nothing stale.
        let after = try await Self.screen(reopened)
        #expect(after.matches == before.matches && after.stale.isEmpty)
        #expect(try reopened.store.read { db in try TokenEpochs.own(db) } == 2)
    }

    @Test("past its deadline an old epoch is retired: its key and tokens are gone, the origins still on it are stale")
    func pastTheDeadlineTheOldEpochIsRetiredAndItsOriginsAreStale() async throws {
        let alliance = try Self.alliance("epoch-retire")
        defer { alliance.shutdown() }
        let alpha = alliance.context("alpha")
        let home = alliance.home("alpha")
        let epoch1 = alpha.keys.tokenKey
        let betaOld = try Self.tokens(epoch1, 4..<8)
        #expect(betaOld.allSatisfy { Self.storeBytes(home).range(of: $0) != nil })
        _ = try TokenEpochChangeover(context: alpha, target: .generate(epoch: 2, created: "test")).run()
        // Before the deadline the epoch is kept: beta has not moved.
        var kept = try await TokenKeyMaintenance(context: alpha, coordinator: nil).run()
        #expect(kept.retired.isEmpty)
        try alpha.store.write { db in try TokenEpochs.noteDeadline(db, epoch: 1, fingerprint: epoch1.fingerprint, deadline: NodeClock.nowMillis() - 1) }
        kept = try await TokenKeyMaintenance(context: alpha, coordinator: nil).run()
        #expect(kept.retired.map(\.epoch) == [1] && kept.retired[0].strippedEntries == 4 && kept.retired[0].staleOrigins == ["beta"])
        #expect(kept.walTruncated)
        #expect(!FileManager.default.fileExists(atPath: home.tokenKeyEpochFile(1).path))
        #expect(betaOld.allSatisfy { Self.storeBytes(home).range(of: $0) == nil })

        let after = try await Self.screen(try NodeContext(home: home))
        #expect(after.matches.count == 4 && after.matches.allSatisfy { $0.contains(" alpha ") })
        #expect(after.stale == [StaleOrigin(member: "beta", answeredEpoch: 2, storedEpochs: [1], keyedHash: true)])
        // Late events under the retired epoch are applied (cursor, digest) but kept without tokens.
        let beta = alliance.context("beta")
        try alliance.importEntries("beta", ["B9,black,brushing,2,phone,\(Self.phone(9))"])
        try Self.copyFeed(from: beta, to: alpha)
        let late = try #require(try alpha.store.read { db in
            try Row.fetchOne(db, sql: "SELECT length(event), length(index_tokens), seq FROM entries WHERE origin = 'beta' AND entry_id = 'B9'")
        })
        #expect(late[0] as Int == 0 && late[1] as Int == 0 && late[2] as Int64 == 5)
        #expect(try Self.tokens(epoch1, 9..<10).allSatisfy { Self.storeBytes(home).range(of: $0) == nil })
    }

    @Test("a changeover a kill interrupted is undone before its commit and finished after it; a key out of step is refused")
    func anInterruptedChangeoverIsResolvedOnTheNextOpen() throws {
        let alliance = try Self.alliance("epoch-kill")
        defer { alliance.shutdown() }
        let home = alliance.home("alpha")
        alliance.closeNode("alpha")
        let epoch2 = AllianceTokenKey.generate(epoch: 2, created: "test")
        // Killed before the commit: the store is at 1 and .next holds 2.
        try TokenKeyFiles.save(epoch2, to: home.tokenKeyNextFile)
        var context = try NodeContext(home: home)
        #expect(context.keys.tokenKey.epoch == 1 && !FileManager.default.fileExists(atPath: home.tokenKeyNextFile.path))
        // Killed after the commit: the store says 2 and .next holds 2.
        try context.store.write { db in try TokenEpochs.setOwn(db, 2) }
        try TokenKeyFiles.save(epoch2, to: home.tokenKeyNextFile)
        context = try NodeContext(home: home)
        #expect(context.keys.tokenKey == epoch2)
        #expect(try NodeKeys.loadTokenKey(home.tokenKeyEpochFile(1)).epoch == 1)
        // A key file out of step with the store is refused.
        try context.store.write { db in try TokenEpochs.setOwn(db, 3) }
        #expect(throws: NodeError.configuration("")) { try NodeContext(home: home) }
    }

    @Test("an import that tokenised under the old epoch and commits after a changeover is refused and stores nothing")
    func anImportRacingAChangeoverIsRefused() throws {
        let alliance = try Self.alliance("epoch-race")
        defer { alliance.shutdown() }
        let alpha = alliance.context("alpha")
        let stale = try alpha.publishTokenizer()  // epoch 1, as an import that started before the changeover
        _ = try TokenEpochChangeover(context: alpha, target: .generate(epoch: 2, created: "test")).run()
        let entry = PlannedEntry(entryID: "LATE", list: .black, category: .brushing, severity: .serious, role: nil,
                                 listedOn: Self.day, expiresOn: nil,
                                 identifiers: [try SubjectIdentifier(kind: .phone, parsing: Self.phone(99))], firstLine: 2)
        let publisher = EntryPublisher(member: "alpha", keys: alpha.keys, tokenizer: stale, keepSealedIdentifiers: true,
                                       clock: { NodeClock.nowMillis() })
        #expect(throws: NodeError.configuration("")) { try publisher.publish([entry], into: alpha.store) }
        #expect(try alpha.store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM entries WHERE entry_id = 'LATE'") } == 0)
    }

    @Test("a member expelled under withdraw: its entries and tokens are gone, each open match got one retraction, its peer file is ignored; re-admitted, it counts again")
    func anExpelledMemberIsWithdrawnThenReadmitted() async throws {
        let alliance = try Self.alliance("epoch-expel")
        defer { alliance.shutdown() }
        let alpha = alliance.context("alpha")
        #expect(try await alliance.screen("alpha", (4..<6).map { "acct-\($0),phone,\(Self.phone($0))" }, day: Self.day) == 2)
        let applied = try alpha.store.write { db in
            try ExpelledMembers.apply(.init(member: "beta", removedAt: "2026-08-01T00:00:00.000Z", entries: .withdraw),
                                      at: NodeClock.nowMillis(), day: Self.day, db)
        }
        #expect(applied?.withdrawn == 4 && applied?.retractions == 2)
        let again = try alpha.store.write { db in
            try ExpelledMembers.apply(.init(member: "beta", removedAt: "2026-08-01T00:00:00.000Z", entries: .withdraw),
                                      at: NodeClock.nowMillis(), day: Self.day, db)
        }
        #expect(again == nil)
        let retractions = try outboxRecords(alpha, type: "retraction")
        #expect(retractions.count == 2 && retractions.allSatisfy { $0["origin"] as? String == "beta" && $0["reason"] as? String == "member-expelled" })
        #expect(try alpha.store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM entries WHERE origin = 'beta'") } == 0)
        #expect(TokenEpochRetirement.truncateWAL(alpha.store))  // as the membership refresh does after a withdrawal
        #expect(try Self.tokens(alpha.keys.tokenKey, 4..<8).allSatisfy { Self.storeBytes(alliance.home("alpha")).range(of: $0) == nil })
        alpha.livePeers.setExpelled(["beta"])
        #expect(alpha.peers.peers["beta"] == nil && alpha.peers.peers.isEmpty)
        try alpha.store.write { db in try ExpelledMembers.readmit("beta", db) }
        alpha.livePeers.setExpelled(try alpha.store.read { db in try ExpelledMembers.members(db) })
        #expect(alpha.peers.peers["beta"] != nil)
    }
}
