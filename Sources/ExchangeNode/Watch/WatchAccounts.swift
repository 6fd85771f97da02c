import ExchangeCrypto
import ExchangeProtocol
import Foundation
import GRDB

/// Reads the watched base inside a caller's transaction or read (prepared once per use): accounts by
/// id, by ref and in id order, their identifiers opened from their boxes (`WatchLayout` says where an
/// id is), and the open matches of an entry.
final class WatchAccounts {
    struct Account: Sendable, Equatable {
        let id: Int64
        let ref: String
        let identifier: SubjectIdentifier

        /// The identifier kind's name, as in match records.
        var kind: String { identifier.kind.rawValue }
        var screened: Screener.Account { Screener.Account(ref: ref, identifier: identifier) }
    }

    let layout: WatchLayout
    private let db: Database
    private let seal: IdentifierSeal
    private let opener: WatchSealOpener
    private let legacyByID: RawStatement
    private let idOfRef: RawStatement
    private let open: RawStatement

    init(_ db: Database, seal: IdentifierSeal) throws {
        self.db = db
        self.seal = seal
        layout = try WatchLayout.load(db)
        opener = try WatchSealOpener(db, seal: seal)
        legacyByID = try RawStatement(db, "SELECT ref, sealed FROM watched WHERE id = ?")
        idOfRef = try RawStatement(db, "SELECT account FROM watch_refs WHERE ref = ?")
        open = try RawStatement(db, "SELECT ref, kind FROM matches WHERE origin = ? AND entry_id = ? AND retracted_at IS NULL")
    }

    /// How many accounts are watched.
    static func count(_ db: Database) throws -> Int {
        try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM watch_refs") ?? 0
    }

    /// The watched account `id`, nil when there is none (removed, or never given).
    func account(id: Int64) throws -> Account? {
        guard layout.isLegacy(id) else {
            let place = WatchLayout.place(of: id)
            guard place.box >= layout.firstBox, let slot = try opener.slot(box: place.box, slot: place.slot) else { return nil }
            return Account(id: id, ref: slot.ref, identifier: slot.identifier)
        }
        legacyByID.bind(1, id)
        guard try legacyByID.step() else {
            legacyByID.reset()
            return nil
        }
        let ref = String(decoding: legacyByID.blob(0), as: UTF8.self), sealed = legacyByID.blob(1)
        legacyByID.reset()
        return Account(id: id, ref: ref, identifier: try opener.identifier(ref: ref, sealed: sealed))
    }

    /// The id of the account watched under `ref`.
    func id(ref: String) throws -> Int64? {
        defer { idOfRef.reset() }
        idOfRef.bind(1, ref)
        return try idOfRef.step() ? idOfRef.int64(0) : nil
    }

    /// The account watched under `ref`; its slot must name `ref` (a `watch_refs` row pointed at
    /// another account's slot does not open).
    func account(ref: String) throws -> Account? {
        guard let id = try id(ref: ref), let account = try account(id: id) else { return nil }
        guard account.ref == ref else { throw NodeError.store("watched account \(ref): its sealed identifier is not in its box") }
        return account
    }

    /// The accounts with an id above `after`, in id order, at most `limit` of them: the rows of
    /// before v12, then each box of later accounts opened once.
    func list(after: Int64, limit: Int = .max) throws -> [Account] {
        var accounts: [Account] = []
        if after < layout.legacyThrough {
            let rows = try GRDB.Row.fetchAll(db, sql: "SELECT id, ref, sealed FROM watched WHERE id > ? ORDER BY id LIMIT ?",
                                             arguments: [after, Int64(limit)])
            for row in rows {
                let ref: String = row[1]
                accounts.append(Account(id: row[0], ref: ref, identifier: try opener.identifier(ref: ref, sealed: [UInt8](row[2] as Data))))
            }
        }
        guard accounts.count < limit else { return accounts }
        let boxes = try RawStatement(db, "SELECT id, box FROM watch_seals WHERE id >= ? ORDER BY id")
        defer { boxes.reset() }
        boxes.bind(1, max(layout.firstBox, WatchLayout.place(of: max(after, 0)).box))
        while accounts.count < limit, try boxes.step() {
            let box = boxes.int64(0)
            for (slot, contents) in try slots(boxes.blob(1), box: box).enumerated() {
                let id = WatchLayout.account(box: box, slot: slot)
                guard id > after, let contents else { continue }
                accounts.append(Account(id: id, ref: contents.ref, identifier: contents.identifier))
                if accounts.count == limit { break }
            }
        }
        return accounts
    }

    /// The highest id of a watched account, 0 when none is watched.
    func highest() throws -> Int64 {
        let boxes = try RawStatement(db, "SELECT id, box FROM watch_seals WHERE id >= ? ORDER BY id DESC")
        defer { boxes.reset() }
        boxes.bind(1, layout.firstBox)
        while try boxes.step() {
            let box = boxes.int64(0)
            if let slot = try slots(boxes.blob(1), box: box).lastIndex(where: { $0 != nil }) {
                return WatchLayout.account(box: box, slot: slot)
            }
        }
        return try Int64.fetchOne(db, sql: "SELECT MAX(id) FROM watched") ?? 0
    }

    /// Open matches of an entry: `(ref, kind)`.
    func openMatches(origin: String, entryID: String) throws -> [(ref: String, kind: String)] {
        defer { open.reset() }
        open.bind(1, origin)
        open.bind(2, entryID)
        var out: [(ref: String, kind: String)] = []
        while try open.step() {
            out.append((String(decoding: open.blob(0), as: UTF8.self), String(decoding: open.blob(1), as: UTF8.self)))
        }
        return out
    }

    private func slots(_ sealed: [UInt8], box: Int64) throws(NodeError) -> [WatchSealBox.Slot] {
        do {
            return try WatchSealBox.open(sealed, with: seal)
        } catch {
            throw .store("sealed watch box \(box) does not open", underlying: error)
        }
    }
}
