import AllianceTestSupport
import ExchangeCrypto
import ExchangeProtocol
import ExchangeRuntime
import Foundation
import GRDB
import NodeTestSupport
import Testing

@testable import ExchangeNode

/// Watched identifiers sealed in boxes of 64 (Watch/WatchSealBox.swift), in process on a real home
/// and SQLite file: what registration writes, what removal and re-registration blank, rows from
/// before boxes, and a reference pointed at another account.
@Suite("Watch: sealed boxes", .serialized)
struct WatchSealBoxTests {
    static func phone(_ index: Int) -> String { "+861377" + String(format: "%07d", index) }

    static func accounts(_ range: Range<Int>, prefix: String = "acct-", offset: Int = 0) throws -> [Screener.Account] {
        try range.map { Screener.Account(ref: "\(prefix)\($0)", identifier: try SubjectIdentifier(kind: .phone, parsing: phone($0 + offset))) }
    }

    static func alliance(_ name: String) throws -> TestAlliance {
        let alliance = try TestAlliance(name, nodes: ["alpha"])
        try alliance.importEntries("alpha", ["A1,black,brushing,2,phone,\(phone(1))", "A2,black,brushing,2,phone,\(phone(129))"])
        return alliance
    }

    /// `ref → identifier` of every watched account, opened as the node opens them.
    static func opened(_ context: NodeContext) throws -> [String: String] {
        try context.store.read { db in
            let opener = try WatchSealOpener(db, seal: IdentifierSeal(key: context.keys.sealKey))
            var out: [String: String] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT ref, sealed FROM watched") {
                let ref: String = row[0]
                out[ref] = try opener.identifier(ref: ref, sealed: [UInt8](row[1] as Data)).canonical
            }
            return out
        }
    }

    /// The slots of every box: `box id → [ref or "-"]`.
    static func boxes(_ context: NodeContext) throws -> [Int64: [String]] {
        let seal = IdentifierSeal(key: context.keys.sealKey)
        return try context.store.read { db in
            var out: [Int64: [String]] = [:]
            for row in try Row.fetchAll(db, sql: "SELECT id, box FROM watch_seals") {
                out[row[0]] = try WatchSealBox.open([UInt8](row[1] as Data), with: seal).map { $0?.ref ?? "-" }
            }
            return out
        }
    }

    @Test("registration seals 64 accounts per box; every row refers to its box and slot and opens to its identifier")
    func registrationSealsInBoxes() async throws {
        let alliance = try Self.alliance("seal-boxes")
        defer { alliance.shutdown() }
        let alpha = alliance.context("alpha")
        let outcome = try await (try WatchService(context: alpha, client: nil)).register(try Self.accounts(0..<130))
        #expect(outcome.registrar.created == 130 && outcome.records == 2)

        let boxes = try Self.boxes(alpha)
        #expect(boxes.values.map(\.count).sorted() == [2, 64, 64])
        #expect(Set(boxes.values.flatMap { $0 }) == Set((0..<130).map { "acct-\($0)" }))
        let references = try alpha.store.read { db in try Data.fetchAll(db, sql: "SELECT sealed FROM watched").map { [UInt8]($0) } }
        #expect(references.allSatisfy { $0.count == WatchSealBox.Reference.size && WatchSealBox.Reference($0) != nil })
        #expect(try Self.opened(alpha) == Dictionary(uniqueKeysWithValues: (0..<130).map { ("acct-\($0)", Self.phone($0)) }))
        // Sealed, not stored: no identifier is in the store file.
        let bytes = TokenEpochTests.storeBytes(alliance.home("alpha"))
        for index in [0, 63, 64, 129] { #expect(bytes.range(of: Data(Self.phone(index).utf8)) == nil) }
    }

    @Test("removal blanks its slots and re-seals the box, and deletes a box left empty")
    func removalBlanksSlots() async throws {
        let alliance = try Self.alliance("seal-remove")
        defer { alliance.shutdown() }
        let alpha = alliance.context("alpha")
        let service = try WatchService(context: alpha, client: nil)
        _ = try await service.register(try Self.accounts(0..<70))
        let before = try Self.boxes(alpha)
        let (full, partial) = (before.first { $0.value.count == 64 }!.key, before.first { $0.value.count == 6 }!.key)

        let removed = try service.remove(["acct-3", "acct-64", "acct-65", "acct-66", "acct-67", "acct-68", "acct-69", "nobody"])
        #expect(removed == WatchRemoval.Outcome(removed: 7, notWatched: 1))
        let after = try Self.boxes(alpha)
        #expect(after.keys.sorted() == [full], "the box whose every slot was removed is deleted")
        #expect(after[full]![3] == "-" && after[full]!.filter { $0 == "-" }.count == 1)
        #expect(partial != full)
        #expect(try Self.opened(alpha).count == 63)
        #expect(try Self.opened(alpha)["acct-4"] == Self.phone(4))
    }

    @Test("re-registering: an unchanged account's new slot is blanked, a replaced account's old slot too")
    func reRegistrationReleasesSlots() async throws {
        let alliance = try Self.alliance("seal-again")
        defer { alliance.shutdown() }
        let alpha = alliance.context("alpha")
        let service = try WatchService(context: alpha, client: nil)
        _ = try await service.register(try Self.accounts(0..<3))
        let first = try Self.boxes(alpha)
        #expect(first.values.map { $0 } == [["acct-0", "acct-1", "acct-2"]])

        let same = try await service.register(try Self.accounts(0..<3))
        #expect(same.registrar.unchanged == 3)
        #expect(try Self.boxes(alpha) == first, "the new box held only unchanged accounts: deleted")

        // acct-1 moves to another identifier: its old slot is blanked, its new box holds it alone.
        let moved = try await service.register(try Self.accounts(1..<2, offset: 500))
        #expect(moved.registrar.replaced == 1)
        let boxes = try Self.boxes(alpha)
        #expect(boxes[first.keys.first!] == ["acct-0", "-", "acct-2"])
        #expect(boxes.values.filter { $0 == ["acct-1"] }.count == 1)
        #expect(try Self.opened(alpha) == ["acct-0": Self.phone(0), "acct-1": Self.phone(501), "acct-2": Self.phone(2)])
    }

    @Test("a row from before boxes (its own AES-GCM box) still opens, matches on arrival and is removed")
    func rowsFromBeforeBoxesStillOpen() async throws {
        let alliance = try Self.alliance("seal-legacy")
        defer { alliance.shutdown() }
        let alpha = alliance.context("alpha")
        let service = try WatchService(context: alpha, client: nil)
        _ = try await service.register(try Self.accounts(5..<6))
        // Rewrite the row as a store from before v8 holds it: a box of its own, the ref authenticated.
        let seal = IdentifierSeal(key: alpha.keys.sealKey)
        let own = try seal.seal([try SubjectIdentifier(kind: .phone, parsing: Self.phone(5))], entryID: WatchSealOpener.ownBoxContext("acct-5"))
        try alpha.store.write { db in
            try db.execute(sql: "UPDATE watched SET sealed = ? WHERE ref = 'acct-5'", arguments: [Data(own)])
            try db.execute(sql: "DELETE FROM watch_seals")
        }
        #expect(try Self.opened(alpha) == ["acct-5": Self.phone(5)])

        // Alpha lists acct-5's phone: the import's arrival matching confirms the hit from the old box.
        try alliance.importEntries("alpha", ["A5,black,brushing,2,phone,\(Self.phone(5))"])
        #expect(try outboxRecords(alpha, type: "match").map { "\($0["ref"]!) \($0["entry_id"]!)" } == ["acct-5 A5"])

        #expect(try service.remove(["acct-5"]).removed == 1)
        #expect(try Self.opened(alpha).isEmpty)
    }

    @Test("a reference pointed at another account's slot does not open: the slot names its own ref")
    func referenceToAnotherSlotIsRefused() async throws {
        let alliance = try Self.alliance("seal-moved")
        defer { alliance.shutdown() }
        let alpha = alliance.context("alpha")
        _ = try await (try WatchService(context: alpha, client: nil)).register(try Self.accounts(0..<2))
        try alpha.store.write { db in
            let other = try Data.fetchOne(db, sql: "SELECT sealed FROM watched WHERE ref = 'acct-1'")!
            try db.execute(sql: "UPDATE watched SET sealed = ? WHERE ref = 'acct-0'", arguments: [other])
        }
        #expect {
            try Self.opened(alpha)
        } throws: { error in
            "\(error)".contains("watched account acct-0: its sealed identifier is not in its box")
        }
    }
}
