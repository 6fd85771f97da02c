import AllianceTestSupport
import ExchangeCrypto
import ExchangeProtocol
import Foundation
import GRDB
import NodeTestSupport
import Testing

@testable import ExchangeAudit
@testable import ExchangeDemo
@testable import ExchangeNode

/// `keys rotate` under the pairwise (ecdh-x25519) scheme, on the demo's three members with real
/// certificates, TLS on loopback and SQLite files. alpha-mall plays the rotating origin B,
/// gamma-pay the screening member A.
@Suite(.serialized) struct PairwiseKeyRotationTests {
    static let day = Day(parsing: "2026-08-01")!

    /// Three homes with their entries imported (nothing synced yet, no home left open).
    static func makeNet(keepSealed: [String: Bool] = [:]) throws -> TestAlliance {
        let net = try TestAlliance("rotation", nodes: DemoData.members, allianceName: "test", scheme: .ecdhX25519)
        for (member, keep) in keepSealed {
            var config = try NodeConfig.load(from: net.home(member))
            config.keepSealedIdentifiers = keep
            try config.save(to: net.home(member))
        }
        for member in DemoData.members {
            try net.reopen(member)
            try net.importFile(member, DemoData.entries(for: member))
            net.closeNode(member)
        }
        return net
    }

    /// Opens every home afresh (so each node runs with the key its home holds now), serves the peer
    /// listeners while `body` runs, then stops them and closes the homes.
    static func withServers<T: Sendable>(_ net: TestAlliance, _ body: @Sendable ([String: NodeContext]) async throws -> T) async throws -> T {
        for member in DemoData.members { try net.reopen(member) }
        defer { for member in DemoData.members { net.closeNode(member) } }
        return try await net.withServers(DemoData.members) { _ in try await body(net.contexts) }
    }

    static func sync(_ context: NodeContext) async throws {
        let runtime = try NodeRuntime(context: context)
        let client = runtime.makePeerClient()
        let results = await runtime.makeSyncRound(client: client).run()
        await client.shutdown()
        for result in results { #expect(result.error == nil, "\(context.member) ← \(result.member): \(result.error ?? "")") }
    }

    /// gamma's demo accounts plus two identifiers on gamma's own list (GP-7, GP-8).
    static func accounts() throws -> [Screener.Account] {
        try PairwiseSchemeTests.accounts() + [
            Screener.Account(ref: "own-7", identifier: try SubjectIdentifier(kind: .phone, parsing: "15800001111")),
            Screener.Account(ref: "own-8", identifier: try SubjectIdentifier(kind: .app, parsing: "com.example.fakeorders")),
        ]
    }

    static func screen(_ context: NodeContext) async throws -> (matches: Set<String>, stale: [StaleOrigin]) {
        let client = try NodeRuntime(context: context).makePeerClient()
        let outcome: ScreeningOutcome
        do {
            outcome = try await ScreeningService(context: context, client: client).engine.screenReporting(try accounts(), on: day)
        } catch {
            await client.shutdown()
            throw error
        }
        await client.shutdown()
        let matches = Set(outcome.matches.flatMap { $0 }.map { "\($0.ref) \($0.origin) \($0.entryID) \($0.measures.joined(separator: ","))" })
        return (matches, outcome.staleOrigins)
    }

    /// The store's files (database and write-ahead log) as one byte string.
    static func storeBytes(_ home: NodeHome) -> Data {
        var data = (try? Data(contentsOf: home.storeFile)) ?? Data()
        data += (try? Data(contentsOf: URL(fileURLWithPath: home.storeFile.path + "-wal"))) ?? Data()
        return data
    }

    /// How many of `tokens` occur anywhere in `bytes`.
    static func found(_ tokens: [Token], in bytes: Data) -> Int {
        tokens.filter { bytes.range(of: Data($0.bytes)) != nil }.count
    }

    /// Every origin's stored events (decoded from `entries.event`), by origin.
    static func events(_ context: NodeContext) throws -> [String: [EntryEvent]] {
        try context.store.read { db in
            try Data.fetchAll(db, sql: "SELECT event FROM entries").map { try EntryEvent(canonical: [UInt8]($0)) }
        }.reduce(into: [:]) { $0[$1.origin, default: []].append($1) }
    }

    // (a) B rotates; A sees B as stale until it syncs, then exactly the matches it had before.
    @Test func aPeerThatRotatedIsReportedStaleUntilSyncedThenMatchesAreUnchanged() async throws {
        let net = try Self.makeNet()
        defer { net.shutdown() }
        let before = try await Self.withServers(net) { contexts in
            for member in DemoData.members { try await Self.sync(contexts[member]!) }
            return try await Self.screen(contexts["gamma-pay"]!)
        }
        #expect(before.stale.isEmpty)
        let fromAlpha = before.matches.filter { $0.contains(" alpha-mall ") }
        #expect(fromAlpha.count >= 2, "alpha-mall's entries must match some of gamma's accounts: \(before.matches)")

        let outcome = try PairwiseKeyRotation(context: try NodeContext(home: net.home("alpha-mall"))).rotate()
        #expect(outcome.fromEpoch == 1 && outcome.toEpoch == 2)
        #expect(outcome.ownEntries == 5 && outcome.peerEntries == 7)

        try await Self.withServers(net) { contexts in
            let gamma = contexts["gamma-pay"]!
            let stale = try await Self.screen(gamma)
            #expect(stale.stale == [StaleOrigin(member: "alpha-mall", answeredEpoch: 2, storedEpochs: [1])])
            #expect(stale.matches == before.matches.subtracting(fromAlpha))
            try await Self.sync(gamma)
            let after = try await Self.screen(gamma)
            #expect(after.stale.isEmpty)
            #expect(after.matches == before.matches)
            // Nothing of alpha's old epoch is left at gamma, and the all-epoch index finds the new tokens.
            let alphaEvents = try Self.events(gamma)["alpha-mall"] ?? []
            #expect(alphaEvents.count == 5 && alphaEvents.allSatisfy { $0.scheme.epoch == 2 })
        }
    }

    // (b) A rotates its own key: its matches are unchanged without any sync.
    @Test func aMemberThatRotatesKeepsItsMatchesWithoutASync() async throws {
        let net = try Self.makeNet()
        defer { net.shutdown() }
        let before = try await Self.withServers(net) { contexts in
            for member in DemoData.members { try await Self.sync(contexts[member]!) }
            return try await Self.screen(contexts["gamma-pay"]!)
        }
        #expect(before.matches.contains { $0.hasPrefix("own-7 gamma-pay GP-7") })
        #expect(before.matches.contains { $0.contains(" beta-rides ") } && before.matches.contains { $0.contains(" alpha-mall ") })
        let outcome = try PairwiseKeyRotation(context: try NodeContext(home: net.home("gamma-pay"))).rotate()
        #expect(outcome.toEpoch == 2 && outcome.ownEntries == 3 && outcome.peerEntries == 9)
        #expect(try NodeContext(home: net.home("gamma-pay")).store.read { db in try DigestLedger.isInStep(db) },
                "re-issued own entries and re-masked peer entries are in the anti-entropy ledger")
        let after = try await Self.withServers(net) { contexts in try await Self.screen(contexts["gamma-pay"]!) }
        #expect(after.stale.isEmpty)
        #expect(after.matches == before.matches)
    }

    // (c) After rotation the old key file is gone and no old-epoch token is left in the store's files.
    @Test func rotationLeavesNoOldKeyNorOldEpochTokens() async throws {
        let net = try Self.makeNet()
        defer { net.shutdown() }
        let home = net.home("alpha-mall")
        try await Self.withServers(net) { contexts in
            for member in DemoData.members { try await Self.sync(contexts[member]!) }
        }
        _ = try EntryRevoker(context: try NodeContext(home: home)).revoke(entryID: "AM-005", reason: .erroneous)
        let alpha = try NodeContext(home: home)
        let oldKey = try #require(alpha.keys.pairwiseKey)
        let stored = try Self.events(alpha)
        let oldOwn = stored["alpha-mall"]!.flatMap(\.tokens)
        let peerEventTokens = stored.filter { $0.key != "alpha-mall" }.values.flatMap { $0.flatMap(\.tokens) }
        let oldIndex = try peerEventTokens.map { try oldKey.mask($0) }
        #expect(oldOwn.count == 6 && oldIndex.count == 7)
        // The scan sees them before the rotation (it can fail).
        #expect(Self.found(oldOwn, in: Self.storeBytes(home)) == oldOwn.count)
        #expect(Self.found(oldIndex, in: Self.storeBytes(home)) == oldIndex.count)

        let outcome = try PairwiseKeyRotation(context: alpha).rotate()
        #expect(outcome.ownEntries == 5 && outcome.ownRevoked == 1 && outcome.ownTokens == 6 && outcome.peerTokens == 7)

        // The key: epoch 2 in ecdh.key, no .next, the old scalar nowhere under keys/.
        let newKey = try #require(try PairwiseKeyFile.loadIfPresent(home.ecdhKeyFile))
        #expect(newKey.epoch == 2 && newKey.rawRepresentation != oldKey.rawRepresentation)
        #expect(!FileManager.default.fileExists(atPath: home.ecdhNextKeyFile.path))
        let oldScalar = oldKey.rawRepresentation
        let oldScalarBase64 = Data(oldScalar.base64EncodedString().utf8)
        for name in try FileManager.default.contentsOfDirectory(atPath: home.keysDirectory.path) {
            let bytes = try Data(contentsOf: home.keysDirectory.appendingPathComponent(name))
            #expect(bytes.range(of: oldScalar) == nil && bytes.range(of: oldScalarBase64) == nil, "old key material in keys/\(name)")
        }
        var attributes = stat()
        #expect(stat(home.ecdhKeyFile.path, &attributes) == 0 && attributes.st_mode & 0o777 == 0o600)

        // The store: none of the old tokens in the database file or its WAL, the new ones present.
        let bytes = Self.storeBytes(home)
        #expect(Self.found(oldOwn, in: bytes) == 0)
        #expect(Self.found(oldIndex, in: bytes) == 0)
        let reopened = try NodeContext(home: home)
        let now = try Self.events(reopened)
        #expect(now["alpha-mall"]!.allSatisfy { $0.scheme.epoch == 2 && $0.version == 2 || $0.entryID == "AM-005" && $0.version == 3 })
        #expect(now["alpha-mall"]!.first { $0.entryID == "AM-005" }?.status == .revoked)
        let newIndex = try peerEventTokens.map { try newKey.mask($0) }
        #expect(Self.found(newIndex, in: bytes) == newIndex.count)
        #expect(try reopened.store.read { db in try PairwiseKeyEpoch.get(db) } == 2)
        // Audited with counts and epochs only.
        try alpha.audit.flush()
        let records = try AuditLog.records(directory: home.auditDirectory.path, filter: AuditFilter()).records
        let audited = try #require(records.last { $0.action == "keys.rotate" })
        #expect(audited.outcome == .ok && audited.role == .operator)
        #expect(audited.detail.filter { $0.key != "transaction_ms" } == ["from_epoch": "1", "to_epoch": "2", "own_entries": "5",
                                                                          "own_tokens": "6", "peer_entries": "7", "peer_tokens": "7"])
        #expect(audited.detail["transaction_ms"].flatMap(Int.init) != nil, "the transaction's duration is audited")

        // The receiver: after its sync, alpha's entries are all of epoch 2, AM-005 still revoked, and
        // the pairwise index (all epochs) finds none of the old values.
        try await Self.withServers(net) { contexts in
            let gamma = contexts["gamma-pay"]!
            try await Self.sync(gamma)
            let alphaAtGamma = try Self.events(gamma)["alpha-mall"]!
            #expect(alphaAtGamma.allSatisfy { $0.scheme.epoch == 2 })
            #expect(alphaAtGamma.first { $0.entryID == "AM-005" }?.status == .revoked)
            #expect(Set(alphaAtGamma.flatMap(\.tokens)).isDisjoint(with: oldOwn))
            let gammaKey = try #require(gamma.keys.pairwiseKey)
            let index = try TokenIndex.load(from: gamma.store, scheme: .ecdhX25519, epoch: nil)
            let resolver = EntryResolver(store: gamma.store)
            func resolved(_ values: [Token]) throws -> Int {
                try values.reduce(0) { total, value in
                    let candidates = index.candidates(for: value).map { EntryResolver.Candidate(row: $0, token: value, origin: "alpha-mall") }
                    return total + (try resolver.resolve(candidates).compactMap { $0 }.count)
                }
            }
            #expect(try resolved(try oldOwn.map { try gammaKey.mask($0) }) == 0)
            let fresh = alphaAtGamma.filter { $0.status == .active }.flatMap(\.tokens)
            #expect(try resolved(try fresh.map { try gammaKey.mask($0) }) == fresh.count)
        }
    }

    // (d) A node that keeps no sealed identifiers refuses, and changes nothing.
    @Test func aNodeWithoutSealedIdentifiersRefusesToRotate() throws {
        let net = try Self.makeNet(keepSealed: ["beta-rides": false])
        defer { net.shutdown() }
        let home = net.home("beta-rides")
        let before = try Data(contentsOf: home.ecdhKeyFile)
        #expect {
            try PairwiseKeyRotation(context: try NodeContext(home: home)).rotate()
        } throws: { error in
            "\(error)".contains("keeps no sealed identifiers") && "\(error)".contains("keepSealedIdentifiers")
        }
        // Turning the setting on afterwards is not enough: the entries imported meanwhile have no boxes.
        var config = try NodeConfig.load(from: home)
        config.keepSealedIdentifiers = true
        try config.save(to: home)
        #expect {
            try PairwiseKeyRotation(context: try NodeContext(home: home)).rotate()
        } throws: { error in
            "\(error)".contains("4 of this node's own entries have no sealed identifiers")
        }
        #expect(try Data(contentsOf: home.ecdhKeyFile) == before)
        #expect(!FileManager.default.fileExists(atPath: home.ecdhNextKeyFile.path))
        let context = try NodeContext(home: home)
        #expect(try context.store.read { db in try PairwiseKeyEpoch.get(db) } == nil)
        #expect(try Self.events(context)["beta-rides"]!.allSatisfy { $0.version == 1 && $0.scheme.epoch == 1 })
    }

    // A kill between the commit and the key's rename: the next open installs the committed key;
    // a kill before the commit: the next open forgets the uncommitted one.
    @Test func anInterruptedRotationIsResolvedOnTheNextOpen() throws {
        let net = try Self.makeNet()
        defer { net.shutdown() }
        let home = net.home("gamma-pay")
        // Before the commit: a .next of epoch 2 while the store is at epoch 1.
        try PairwiseKeyFile.write(PairwiseMaskingKey.generate(epoch: 2), to: home.ecdhNextKeyFile)
        #expect(try NodeContext(home: home).keys.pairwiseKey?.epoch == 1)
        #expect(!FileManager.default.fileExists(atPath: home.ecdhNextKeyFile.path))
        // After the commit: rotate, then put the files back as they were just before the rename.
        let old = try Data(contentsOf: home.ecdhKeyFile)
        _ = try PairwiseKeyRotation(context: try NodeContext(home: home)).rotate()
        try FileManager.default.moveItem(at: home.ecdhKeyFile, to: home.ecdhNextKeyFile)
        try old.write(to: home.ecdhKeyFile)
        chmod(home.ecdhKeyFile.path, 0o600)
        let reopened = try NodeContext(home: home)
        #expect(reopened.keys.pairwiseKey?.epoch == 2)
        #expect(!FileManager.default.fileExists(atPath: home.ecdhNextKeyFile.path))
        // A key file out of step with the store (an old backup restored) is refused, not used.
        try old.write(to: home.ecdhKeyFile)
        #expect(throws: NodeError.configuration("")) { _ = try NodeContext(home: home) }
    }
}
