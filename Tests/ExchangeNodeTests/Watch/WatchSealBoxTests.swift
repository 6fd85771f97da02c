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

/// Watched identifiers sealed in boxes (Watch/WatchSealBox.swift), an account being its box's slot
/// (Watch/WatchLayout.swift), in process on a real home and SQLite file: what registration writes, how
/// boxes are bounded, what removal and re-registration blank, accounts of before v12 (rows of `watched`,
/// with references of every form and boxes of their own) and their migration, and a ref pointed at
/// another account's slot.
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

    /// `ref → identifier` of every watched account, opened as the node opens them, each also found by
    /// its ref.
    static func opened(_ context: NodeContext) throws -> [String: String] {
        try context.store.read { db in
            let accounts = try WatchAccounts(db, seal: IdentifierSeal(key: context.keys.sealKey))
            var out: [String: String] = [:]
            for account in try accounts.list(after: 0) {
                #expect(try accounts.account(ref: account.ref) == account)
                out[account.ref] = account.identifier.canonical
            }
            #expect(out.count == (try WatchAccounts.count(db)))
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

    @Test("registration fills each box up to its byte budget; each account's id is its box and slot, its ref maps to it, and it opens to its identifier")
    func registrationSealsInBoxes() async throws {
        let alliance = try Self.alliance("seal-boxes")
        defer { alliance.shutdown() }
        let alpha = alliance.context("alpha")
        let accounts = try Self.accounts(0..<400)
        let outcome = try await (try WatchService(context: alpha, client: nil)).register(accounts)
        #expect(outcome.registrar.created == 400 && outcome.records == 2)

        // "acct-N" (6 to 8 bytes) and a 14-character phone packed in 7 take 16 to 18 bytes: the first box
        // holds 10 × 16 + 90 × 17 + 126 × 18 = 3 958 bytes after its format byte, 226 accounts.
        let sizes = accounts.map { WatchBoxPlaintext.size(ref: $0.ref, identifier: $0.identifier) }
        #expect(Set(sizes) == [16, 17, 18])
        let ranges = WatchSealBox.boxRanges(slotSizes: sizes)
        #expect(ranges == [0..<226, 226..<400])
        let boxes = try Self.boxes(alpha)
        #expect(boxes.values.map(\.count).sorted() == [174, 226])
        #expect(boxes.values.flatMap { $0 }.sorted() == accounts.map(\.ref).sorted())
        for range in ranges { #expect(1 + sizes[range].reduce(0, +) <= WatchSealBox.maxPlainBytes) }
        try alpha.store.read { db in
            // Each box is one page's payload: nothing spills into overflow pages.
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM dbstat WHERE name = 'watch_seals' AND pagetype = 'overflow'") == 0)
            // A store created from v12 on: boxes from 1, in registration order; no row of `watched`.
            #expect(try Int64.fetchAll(db, sql: "SELECT id FROM watch_seals ORDER BY id") == [1, 2])
            #expect(try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM watched") == 0)
            let ids = Dictionary(uniqueKeysWithValues: try Row.fetchAll(db, sql: "SELECT ref, account FROM watch_refs").map {
                ($0["ref"] as String, $0["account"] as Int64)
            })
            #expect(ids.count == 400)
            for (position, account) in accounts.enumerated() {
                let (box, slot) = position < 226 ? (1, position) : (2, position - 226)
                #expect(ids[account.ref] == Int64(box << 8 | slot), "\(account.ref)")
            }
            let watched = try WatchAccounts(db, seal: IdentifierSeal(key: alpha.keys.sealKey))
            #expect(try watched.highest() == 2 << 8 | 173)
            #expect(try watched.list(after: 1 << 8 | 224).map(\.ref) == ["acct-225"] + (226..<400).map { "acct-\($0)" })
            #expect(try watched.list(after: 0, limit: 3).map(\.id) == [256, 257, 258])
            #expect(try watched.account(id: 1 << 8 | 226) == nil, "past the box's last slot")
            #expect(try watched.account(id: 3 << 8) == nil, "a box not given yet")
        }
        #expect(try Self.opened(alpha) == Dictionary(uniqueKeysWithValues: (0..<400).map { ("acct-\($0)", Self.phone($0)) }))
        // Sealed, not stored: no identifier is in the store file.
        let bytes = TokenEpochTests.storeBytes(alliance.home("alpha"))
        for index in [0, 63, 64, 399] { #expect(bytes.range(of: Data(Self.phone(index).utf8)) == nil) }
    }

    @Test("box boundaries: a box closes before the slot that would pass the byte budget, at 255 slots, and an oversized slot gets a box alone")
    func boxBoundaries() {
        let budget = WatchSealBox.maxPlainBytes
        #expect(WatchSealBox.boxRanges(slotSizes: []) == [])
        // A box's plaintext is its format byte and its slots.
        #expect(WatchSealBox.boxRanges(slotSizes: [budget / 2, budget / 2 - 1, 1]) == [0..<2, 2..<3])
        #expect(WatchSealBox.boxRanges(slotSizes: [budget / 2, budget / 2]) == [0..<1, 1..<2])
        #expect(WatchSealBox.boxRanges(slotSizes: [10, budget + 100, 10]) == [0..<1, 1..<2, 2..<3])
        #expect(WatchSealBox.boxRanges(slotSizes: Array(repeating: 5, count: 600)) == [0..<255, 255..<510, 510..<600])
    }

    @Test("references: as few box-id bytes as the id needs; the 10-byte form of v8 to v10 still reads; anything else is not a reference")
    func referenceEncoding() {
        for (box, size) in [(Int64(1), 3), (255, 3), (256, 4), (1 << 24 - 1, 5), (1 << 24, 6), (Int64.max, 10)] {
            let reference = WatchSealBox.Reference(box: box, slot: 254)
            #expect(reference.bytes.count == size, "box \(box)")
            #expect(WatchSealBox.Reference(reference.bytes) == reference, "box \(box)")
        }
        let legacy: [UInt8] = [0xB0, 0, 0, 0, 0, 0, 0, 0x01, 0x02, 7]
        #expect(WatchSealBox.Reference(legacy) == WatchSealBox.Reference(box: 258, slot: 7))
        #expect(WatchSealBox.Reference([0xB0, 1, 7]) == nil, "the old marker with a short id")
        #expect(WatchSealBox.Reference([0xC2, 1, 7]) == nil, "a length byte that does not match")
        #expect(WatchSealBox.Reference([0xC1, 1]) == nil)
        #expect(WatchSealBox.Reference(Array(repeating: 0xC1, count: 31)) == nil, "a box of its own is longer")
    }

    @Test("removal blanks its slots and re-seals the box, and deletes a box left empty")
    func removalBlanksSlots() async throws {
        let alliance = try Self.alliance("seal-remove")
        defer { alliance.shutdown() }
        let alpha = alliance.context("alpha")
        let service = try WatchService(context: alpha, client: nil)
        _ = try await service.register(try Self.accounts(0..<64))
        _ = try await service.register(try Self.accounts(64..<70))
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

    /// Makes the store of `context`, with nothing watched yet, hold `rows` as a store from before v12
    /// did (rows of `watched`, ids from 1; `boxes` in `watch_seals`), then does what migration
    /// `v12-watch-refs` does to it.
    static func holdFromBeforeV12(_ context: NodeContext, rows: [(ref: String, sealed: [UInt8])], boxes: [Int64: [UInt8]]) throws {
        try context.store.write { db in
            for (id, box) in boxes { try db.execute(sql: "INSERT INTO watch_seals (id, box) VALUES (?, ?)", arguments: [id, Data(box)]) }
            for row in rows {
                try db.execute(sql: "INSERT INTO watched (ref, kind, sealed) VALUES (?, ?, ?)",
                               arguments: [row.ref, Int64(IdentifierKind.phone.code), Data(row.sealed)])
            }
            try db.execute(sql: "INSERT INTO watch_refs (ref, account) SELECT ref, id FROM watched ORDER BY ref")
            try WatchLayout.start(db)
        }
    }

    @Test("accounts of before v12: a box of their own and references into v8 boxes open, match on arrival, are replaced, kept and removed beside new ones")
    func accountsFromBeforeV12() async throws {
        let alliance = try Self.alliance("seal-legacy")
        defer { alliance.shutdown() }
        let alpha = alliance.context("alpha")
        let seal = IdentifierSeal(key: alpha.keys.sealKey)
        let phone = { (index: Int) in try SubjectIdentifier(kind: .phone, parsing: Self.phone(index)) }
        // acct-5 in a box of its own (before v8), the ref authenticated; acct-7 and acct-8 in box 300 (v8 to v11).
        let own = try seal.seal([try phone(5)], entryID: WatchSealOpener.ownBoxContext("acct-5"))
        let box = try WatchSealBox.seal([("acct-7", try phone(7)), ("acct-8", try phone(8))], with: seal)
        try Self.holdFromBeforeV12(alpha, rows: [("acct-5", own), ("acct-7", WatchSealBox.Reference(box: 300, slot: 0).bytes),
                                                 ("acct-8", WatchSealBox.Reference(box: 300, slot: 1).bytes)], boxes: [300: box])
        #expect(try alpha.store.read(WatchLayout.load) == WatchLayout(legacyThrough: 3, firstBox: 301))
        #expect(try Self.opened(alpha) == ["acct-5": Self.phone(5), "acct-7": Self.phone(7), "acct-8": Self.phone(8)])

        // acct-6 is new, acct-7 moves to another phone, acct-8 is registered again unchanged.
        let service = try WatchService(context: alpha, client: nil)
        let again = try await service.register([Screener.Account(ref: "acct-6", identifier: try phone(6)),
                                                Screener.Account(ref: "acct-7", identifier: try phone(507)),
                                                Screener.Account(ref: "acct-8", identifier: try phone(8))])
        #expect((again.registrar.created, again.registrar.replaced, again.registrar.unchanged) == (1, 1, 1))
        #expect(try Self.opened(alpha) == ["acct-5": Self.phone(5), "acct-6": Self.phone(6), "acct-7": Self.phone(507), "acct-8": Self.phone(8)])
        try alpha.store.read { db in
            #expect(try String.fetchAll(db, sql: "SELECT ref FROM watched ORDER BY id") == ["acct-5", "acct-8"])
            let ids = try Int64.fetchAll(db, sql: "SELECT account FROM watch_refs ORDER BY ref")
            #expect(ids == [1, 301 << 8, 301 << 8 | 1, 3], "new accounts in the first box after the old ones")
            #expect(try WatchAccounts(db, seal: seal).highest() == 301 << 8 | 1)
        }
        #expect(try Self.boxes(alpha)[300] == ["-", "acct-8"], "acct-7's old slot is blanked")

        // Alpha lists acct-5's and acct-8's phones: the import's arrival matching confirms both hits.
        try alliance.importEntries("alpha", ["A5,black,brushing,2,phone,\(Self.phone(5))", "A8,black,brushing,2,phone,\(Self.phone(8))"])
        #expect(try outboxRecords(alpha, type: "match").map { "\($0["ref"]!) \($0["entry_id"]!)" }.sorted() == ["acct-5 A5", "acct-8 A8"])

        #expect(try service.remove(["acct-5", "acct-8"]).removed == 2)
        #expect(try Self.opened(alpha) == ["acct-6": Self.phone(6), "acct-7": Self.phone(507)])
        #expect(try Self.boxes(alpha)[300] == nil, "box 300 left empty is deleted")
        #expect(try alpha.store.read { db in try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM watched") } == 0)
    }

    @Test("migrations v11 and v12 keep every account: registered_at goes, refs are copied with their ids, the boxes and 10-byte references of v8 to v10 still open")
    func migrationKeepsRows() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("watch-compact-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let seal = IdentifierSeal(key: SymmetricKey(size: .bits256))
        let accounts = try Self.accounts(0..<3)
        let store = try DatabaseQueue(path: folder.appendingPathComponent("store.sqlite").path)
        try StoreSchema.migrator.migrate(store, upTo: "v10-watch-filter")
        try store.write { db in
            // A box as v8 to v10 sealed it: format 1 (2-byte lengths), referred to in 10 bytes.
            var plain: [UInt8] = []
            for account in accounts {
                plain += [0, UInt8(account.ref.utf8.count)] + Array(account.ref.utf8)
                IdentifierSeal.encode(account.identifier, into: &plain)
            }
            let box = try seal.sealBytes(plain, context: WatchSealBox.context)
            try db.execute(sql: "INSERT INTO watch_seals (id, box) VALUES (300, ?)", arguments: [Data(box)])
            for (slot, account) in accounts.enumerated() {
                let legacy: [UInt8] = [0xB0, 0, 0, 0, 0, 0, 0, 0x01, 0x2C, UInt8(slot)]
                try db.execute(sql: "INSERT INTO watched (ref, kind, sealed, registered_at) VALUES (?, ?, ?, 1765000000000)",
                               arguments: [account.ref, Int64(account.identifier.kind.code), Data(legacy)])
            }
        }
        try StoreSchema.migrator.migrate(store)
        try store.read { db in
            #expect(try Row.fetchAll(db, sql: "PRAGMA table_info(watched)").map { $0["name"] as String } == ["id", "ref", "kind", "sealed"])
            #expect(try Row.fetchAll(db, sql: "SELECT ref, account FROM watch_refs").map { "\($0["ref"] as String) \($0["account"] as Int64)" }
                    == ["acct-0 1", "acct-1 2", "acct-2 3"])
            #expect(try WatchLayout.load(db) == WatchLayout(legacyThrough: 3, firstBox: 301))
            #expect(try WatchLayout.nextBox(db) == 301)
            let watched = try WatchAccounts(db, seal: seal)
            #expect(try watched.list(after: 0) == zip(1..., accounts).map { WatchAccounts.Account(id: Int64($0), ref: $1.ref, identifier: $1.identifier) })
            #expect(try watched.list(after: 2).map(\.ref) == ["acct-2"])
            #expect(try watched.highest() == 3)
            #expect(try watched.account(ref: "acct-1")?.identifier == accounts[1].identifier)
        }
    }

    @Test("a ref pointed at another account's slot does not open: the slot names its own ref")
    func refToAnotherSlotIsRefused() async throws {
        let alliance = try Self.alliance("seal-moved")
        defer { alliance.shutdown() }
        let alpha = alliance.context("alpha")
        _ = try await (try WatchService(context: alpha, client: nil)).register(try Self.accounts(0..<2))
        try alpha.store.write { db in
            try db.execute(sql: "UPDATE watch_refs SET account = (SELECT account FROM watch_refs WHERE ref = 'acct-1') WHERE ref = 'acct-0'")
        }
        #expect {
            try Self.opened(alpha)
        } throws: { error in
            "\(error)".contains("watched account acct-0: its sealed identifier is not in its box")
        }
    }
}
