import AllianceTestSupport
import ExchangeProtocol
import Foundation
import GRDB
import NodeTestSupport
import Testing

@testable import ExchangeNode

/// Per-peer category ACLs (`categories` in the peers file): the feed, the anti-entropy digest and
/// appeals apply the same filter, so a restricted peer's copy agrees with the origin's digest, and
/// a changed ACL is repaired by the anti-entropy check.
@Suite("Category ACL", .serialized)
struct CategoryACLTests {
    static let members = ["alpha-mall", "beta-rides"]

    static func heldCategories(_ context: NodeContext, origin: String) throws -> [String: Int] {
        try context.store.read { db in
            var counts: [String: Int] = [:]
            for row in try GRDB.Row.fetchAll(db, sql: "SELECT category, COUNT(*) AS n FROM entries WHERE origin = ? GROUP BY category",
                                             arguments: [origin]) {
                counts[ExchangeProtocol.Category(code: UInt8(row["category"] as Int64))!.rawValue] = row["n"]
            }
            return counts
        }
    }


    static func allowAlpha(_ categories: [ExchangeProtocol.Category]?, in alliance: TestAlliance) throws {
        let home = alliance.home("beta-rides")
        try PeerDirectory(peers: [:]).save(PeerConfig(member: "alpha-mall", url: alliance.url("alpha-mall"), categories: categories), to: home)
        try alliance.reopen("beta-rides")
    }

    @Test("peers file: categories absent means all, present restricts; round-trips")
    func peerConfigCodable() throws {
        let absent = try JSONDecoder().decode(PeerConfig.self, from: Data(#"{"member":"m","url":"https://x:1"}"#.utf8))
        #expect(absent.categories == nil)
        let present = try JSONDecoder().decode(PeerConfig.self,
                                               from: Data(#"{"member":"m","url":"https://x:1","categories":["brushing","fake-reviews"]}"#.utf8))
        #expect(present.categories == [.brushing, .fakeReviews])
        let encoded = String(decoding: try JSONEncoder().encode(absent), as: UTF8.self)
        #expect(!encoded.contains("categories"))
        #expect(try JSONDecoder().decode(PeerConfig.self, from: JSONEncoder().encode(present)) == present)
        let visibility = PeerVisibility(present)
        #expect(visibility.admits(listCode: Int64(ListKind.black.code), categoryCode: Int64(ExchangeProtocol.Category.brushing.code)))
        #expect(!visibility.admits(listCode: Int64(ListKind.black.code), categoryCode: Int64(ExchangeProtocol.Category.counterfeiting.code)))
    }

    @Test("a restricted peer receives only its categories, its digest agrees, and ACL changes are repaired")
    func restrictedFeedAndAntiEntropy() async throws {
        let alliance = try TestAlliance("governance", nodes: Self.members)
        defer { alliance.shutdown() }
        try Self.allowAlpha([.brushing], in: alliance)
        try alliance.importEntries("beta-rides", [
            "BR-1,black,brushing,1,phone,13912340001",
            "BR-2,black,brushing,2,phone,13912340002",
            "BR-3,black,subsidy-fraud,2,phone,13912340003",
            "BR-4,black,counterfeiting,3,phone,13912340004",
        ])
        let alpha = alliance.context("alpha-mall")

        try await alliance.withServers(Self.members) { runtimes in
            let first = try #require(await runtimes["alpha-mall"]!.syncOnce().first)
            #expect(first.error == nil && first.repaired == false, "digest over the filtered feed agrees")
            #expect(try Self.heldCategories(alpha, origin: "beta-rides") == ["brushing": 2])

            // Changes keep agreeing: a revocation of a visible entry, an import of an invisible one.
            _ = try EntryRevoker(context: alliance.context("beta-rides")).revoke(entryID: "BR-1", reason: .erroneous)
            try alliance.importEntries("beta-rides", ["BR-5,black,counterfeiting,1,phone,13912340005"])
            let second = try #require(await runtimes["alpha-mall"]!.syncOnce().first)
            #expect(second.error == nil && second.repaired == false)
            #expect(second.revoked == 1)
            #expect(try Self.heldCategories(alpha, origin: "beta-rides") == ["brushing": 2])
        }

        // Widening the ACL: the cursor is past the hidden events; the digest check notices and re-pulls.
        try Self.allowAlpha([.brushing, .counterfeiting], in: alliance)
        try await alliance.withServers(Self.members) { runtimes in
            let widened = try #require(await runtimes["alpha-mall"]!.syncOnce().first)
            #expect(widened.error == nil && widened.repaired == true)
            #expect(try Self.heldCategories(alpha, origin: "beta-rides") == ["brushing": 2, "counterfeiting": 2])
            let settled = try #require(await runtimes["alpha-mall"]!.syncOnce().first)
            #expect(settled.repaired == false)
        }

        // Narrowing it: the copy that may no longer be seen is dropped.
        try Self.allowAlpha([.counterfeiting], in: alliance)
        try await alliance.withServers(Self.members) { runtimes in
            let narrowed = try #require(await runtimes["alpha-mall"]!.syncOnce().first)
            #expect(narrowed.error == nil && narrowed.repaired == true)
            #expect(try Self.heldCategories(alpha, origin: "beta-rides") == ["counterfeiting": 2])
        }
    }

    @Test("absent categories: every category is served (unchanged behaviour)")
    func unrestricted() async throws {
        let alliance = try TestAlliance("governance", nodes: Self.members)
        defer { alliance.shutdown() }
        try alliance.importEntries("beta-rides", ["BR-1,black,brushing,1,phone,13912340001", "BR-3,watch,false-advertising,1,phone,13912340003"])
        try await alliance.withServers(Self.members) { runtimes in
            let result = try #require(await runtimes["alpha-mall"]!.syncOnce().first)
            #expect(result.error == nil && result.repaired == false)
            #expect(try Self.heldCategories(alliance.context("alpha-mall"), origin: "beta-rides") == ["brushing": 1, "false-advertising": 1])
        }
    }

    @Test("an appeal against an entry the filer may not see is answered as unknown")
    func appealRespectsACL() throws {
        let alliance = try TestAlliance("governance", nodes: Self.members)
        defer { alliance.shutdown() }
        try alliance.importEntries("beta-rides", ["BR-4,black,counterfeiting,3,phone,13912340004"])
        let intake = AppealIntake(context: alliance.context("beta-rides"))
        let submission = AppealSubmission(appealID: AppealID.make(), entryID: "BR-4", reason: "wrong seller",
                                          filedAt: "2026-11-23T10:00:00.000Z")
        #expect(throws: AppealError.unknownEntry("beta-rides:BR-4")) {
            try intake.receive(submission, from: "alpha-mall", visibility: PeerVisibility(lists: ListKind.allCases, categories: [.brushing]))
        }
        #expect(throws: AppealError.unknownEntry("beta-rides:BR-4")) {
            try intake.receive(submission, from: "alpha-mall", visibility: PeerVisibility(lists: [.red]))
        }
        let receipt = try intake.receive(submission, from: "alpha-mall", visibility: PeerVisibility(lists: ListKind.allCases))
        #expect(receipt.created)
    }
}
