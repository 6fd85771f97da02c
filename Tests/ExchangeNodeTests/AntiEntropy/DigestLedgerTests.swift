import AllianceTestSupport
import Crypto
import ExchangeProtocol
import Foundation
import GRDB
import NodeTestSupport
import Testing

@testable import ExchangeNode

/// The anti-entropy ledger (AntiEntropy/DigestLedger.swift): kept in step with the entries by every
/// path that writes them, rebuilt when found out of step, and answered by `/v1/digest?scheme=sum-sha256`.
@Suite("Anti-entropy ledger")
struct DigestLedgerTests {
    static let members = ["alpha-mall", "beta-rides"]

    /// The ledger's rows, as (origin, list, category) → (entries, sum hex).
    static func ledger(_ context: NodeContext) throws -> [String: String] {
        try context.store.read { db in try rows(db) }
    }

    /// The ledger as a rebuild from the entries gives it (computed in a transaction that is rolled back).
    static func rebuilt(_ context: NodeContext) throws -> [String: String] {
        var result = [String: String]()
        try context.store.pool.writeWithoutTransaction { db in
            try db.inTransaction {
                try DigestLedger.rebuild(db)
                result = try rows(db)
                return .rollback
            }
        }
        return result
    }

    private static func rows(_ db: Database) throws -> [String: String] {
        try GRDB.Row.fetchAll(db, sql: "SELECT origin, list, category, entries, sum FROM origin_digests")
            .reduce(into: [String: String]()) { rows, row in
                rows["\(row[0] as String)/\(row[1] as Int64)/\(row[2] as Int64)"] = "\(row[3] as Int64):\(Hex.encode([UInt8](row[4] as Data)))"
            }
    }

    /// Beta lists two entries, alpha (serving with beta) pulls them once; then `body`.
    static func afterOneSync(_ body: @Sendable (NodeContext, [String: NodeRuntime]) async throws -> Void) async throws {
        let alliance = try TestAlliance("anti-entropy", nodes: Self.members)
        defer { alliance.shutdown() }
        let alpha = alliance.context("alpha-mall")
        try alliance.importEntries("beta-rides", ["BR-1,black,brushing,1,phone,13912340001", "BR-2,black,brushing,2,phone,13912340002"])
        try await alliance.withServers(Self.members) { runtimes in
            let first = try #require(await runtimes["alpha-mall"]!.syncOnce().first)
            #expect(first.error == nil && first.applied == 2)
            try await body(alpha, runtimes)
        }
    }

    @Test("sums: addition is commutative, subtraction undoes it, carries run across limbs")
    func arithmetic() throws {
        let a = DigestSum.element(seq: 1, eventDigest: [UInt8](repeating: 7, count: 32))
        let b = DigestSum.element(seq: 2, eventDigest: [UInt8](repeating: 7, count: 32))
        #expect(a != b)
        // The element is SHA-256 over the domain, the big-endian sequence number and the event digest, read big endian.
        let expected = Array(SHA256.hash(data: Array("exchange-node/anti-entropy/v2".utf8) + [0, 0, 0, 0, 0, 0, 0, 1]
                                         + [UInt8](repeating: 7, count: 32)))
        #expect(a.bytes == expected)
        #expect(a + b == b + a)
        #expect(a + b - a == b)
        #expect(a - a == .zero)
        #expect(-DigestSum.zero == .zero)
        let allOnes = try #require(DigestSum(bytes: [UInt8](repeating: 0xFF, count: 32)))
        #expect(allOnes + DigestSum(limbs: (0, 0, 0, 1)) == .zero)
        #expect(DigestSum(limbs: (0, 0, 0, 0xFFFF_FFFF_FFFF_FFFF)) + DigestSum(limbs: (0, 0, 0, 1)) == DigestSum(limbs: (0, 0, 1, 0)))
        #expect(DigestSum(bytes: a.bytes) == a)
        #expect(DigestSum(bytes: [1, 2, 3]) == nil)
    }

    @Test("imports, amendments, revocations, a sync and a re-pull keep the ledger equal to a rebuild, and both ends agree")
    func inStep() async throws {
        let alliance = try TestAlliance("anti-entropy", nodes: Self.members)
        defer { alliance.shutdown() }
        let beta = alliance.context("beta-rides"), alpha = alliance.context("alpha-mall")
        try alliance.importEntries("beta-rides", [
            "BR-1,black,brushing,1,phone,13912340001",
            "BR-2,black,brushing,2,phone,13912340002",
            "BR-3,black,subsidy-fraud,2,phone,13912340003",
        ])
        // An amendment that moves BR-2 to another category, and a revocation.
        try alliance.importEntries("beta-rides", ["BR-2,black,counterfeiting,3,phone,13912340002"])
        _ = try EntryRevoker(context: beta).revoke(entryID: "BR-3", reason: .erroneous)
        #expect(try Self.ledger(beta) == Self.rebuilt(beta))
        let brushing = "beta-rides/\(ListKind.black.code)/\(ExchangeProtocol.Category.brushing.code)"
        #expect(try Self.ledger(beta)[brushing]?.hasPrefix("1:") == true, "BR-1 only: BR-2 left brushing")

        try await alliance.withServers(Self.members) { runtimes in
            let first = try #require(await runtimes["alpha-mall"]!.syncOnce().first)
            #expect(first.error == nil && first.repaired == false && first.applied == 3)
            #expect(try Self.ledger(alpha) == Self.rebuilt(alpha))
            let theirs = try beta.store.read { db in
                try DigestLedger.digest(origin: "beta-rides", through: 0, visibility: PeerVisibility(lists: ListKind.allCases), db)
            }
            let ours = try alpha.store.read { db in
                try DigestLedger.digest(origin: "beta-rides", through: 0, visibility: PeerVisibility(lists: ListKind.allCases), db)
            }
            #expect(ours == theirs && ours.entries == 3 && ours.scheme == OriginDigest.sumScheme)

            // A later amendment replaces rows at the receiver as well.
            try alliance.importEntries("beta-rides", ["BR-1,black,brushing,3,phone,13912340001"])
            let second = try #require(await runtimes["alpha-mall"]!.syncOnce().first)
            #expect(second.error == nil && second.repaired == false && second.applied == 1)
            #expect(try Self.ledger(alpha) == Self.rebuilt(alpha))
        }
    }

    @Test("a ledger out of step with its entries is rebuilt from them; the copy, which agrees, is not re-pulled")
    func outOfStepLedger() async throws {
        try await Self.afterOneSync { alpha, runtimes in
            let good = try Self.ledger(alpha)
            try alpha.store.write { db in
                try db.execute(sql: "UPDATE origin_digests SET entries = entries + 1, sum = zeroblob(32) WHERE origin = 'beta-rides'")
            }
            #expect(try Self.ledger(alpha) != good)
            #expect(try alpha.store.read { db in try DigestLedger.isInStep(db) } == false)
            let round = try #require(await runtimes["alpha-mall"]!.syncOnce().first)
            #expect(round.error == nil && round.repaired == false && round.applied == 0)
            #expect(try Self.ledger(alpha) == good)
            #expect(try alpha.store.read { db in try DigestLedger.isInStep(db) })
        }
    }

    @Test("a copy that lost an entry (its ledger in step) is found diverged and re-pulled whole")
    func divergedCopy() async throws {
        try await Self.afterOneSync { alpha, runtimes in
            try alpha.store.write { db in
                try db.execute(sql: "DELETE FROM entries WHERE origin = 'beta-rides' AND entry_id = 'BR-2'")
                try DigestLedger.rebuild(origin: "beta-rides", db)
            }
            let round = try #require(await runtimes["alpha-mall"]!.syncOnce().first)
            #expect(round.error == nil && round.repaired == true && round.applied == 2)
            let held = try alpha.store.read { db in try String.fetchAll(db, sql: "SELECT entry_id FROM entries WHERE origin = 'beta-rides' ORDER BY entry_id") }
            #expect(held == ["BR-1", "BR-2"])
            #expect(try Self.ledger(alpha) == Self.rebuilt(alpha))
        }
    }

    @Test("GET /v1/digest answers the sum when asked for it, the chain otherwise (as before the ledger)")
    func bothSchemes() async throws {
        let alliance = try TestAlliance("anti-entropy", nodes: Self.members)
        defer { alliance.shutdown() }
        try alliance.importEntries("beta-rides", ["BR-1,black,brushing,1,phone,13912340001"])
        try await alliance.withServers(Self.members) { runtimes in
            let client = runtimes["alpha-mall"]!.makePeerClient()
            var all: [(status: Int, body: [UInt8])] = []
            do {
                for query in ["?scheme=sum-sha256", "", "?scheme=xor"] {
                    all.append(try await client.call(.GET, alliance.url("beta-rides") + "/v1/digest" + query))
                }
            } catch {
                await client.shutdown()
                throw error
            }
            await client.shutdown()
            let (sum, chain, unknown) = (all[0], all[1], all[2])
            #expect(sum.status == 200 && chain.status == 200 && unknown.status == 200)
            let decodedSum = try JSONDecoder().decode(OriginDigest.self, from: Data(sum.body))
            let decodedChain = try JSONDecoder().decode(OriginDigest.self, from: Data(chain.body))
            #expect(decodedSum.scheme == "sum-sha256" && decodedSum.entries == 1 && decodedSum.throughSeq == 1)
            #expect(decodedChain.scheme == nil && decodedChain.entries == 1 && decodedChain.digest != decodedSum.digest)
            #expect(!String(decoding: chain.body, as: UTF8.self).contains("scheme"))
            #expect(unknown.body == chain.body)
            let expected = try alliance.context("beta-rides").store.read { db in
                try OriginDigest.chain(origin: "beta-rides", through: 1, lists: ListKind.allCases, db)
            }
            #expect(decodedChain == expected)
        }
    }

    @Test("the v9 migration computes the ledger of a store that had none")
    func migration() throws {
        let alliance = try TestAlliance("anti-entropy", nodes: Self.members)
        defer { alliance.shutdown() }
        try alliance.importEntries("beta-rides", ["BR-1,black,brushing,1,phone,13912340001", "BR-2,black,fake-reviews,2,phone,13912340002"])
        let before = try Self.ledger(alliance.context("beta-rides"))
        #expect(before.count == 2)
        try alliance.context("beta-rides").store.write { db in
            try db.execute(sql: "DROP TABLE origin_digests")
            try db.execute(sql: "DELETE FROM grdb_migrations WHERE identifier = 'v9-origin-digests'")
        }
        alliance.closeNode("beta-rides")
        try alliance.reopen("beta-rides")
        #expect(try Self.ledger(alliance.context("beta-rides")) == before)
    }
}
