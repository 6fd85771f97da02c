import ExchangeCrypto
import Foundation
import GRDB

/// Reads watched accounts and open matches inside a caller's transaction (prepared once per batch).
struct WatchAccounts {
    struct Account: Sendable, Equatable {
        let id: Int64
        let ref: String
        /// The identifier kind's name, as in match records.
        let kind: String
        let sealed: [UInt8]?
    }

    private let byID: RawStatement
    private let byRef: RawStatement
    private let open: RawStatement

    init(_ db: Database) throws {
        byID = try RawStatement(db, "SELECT ref, kind, sealed FROM watched WHERE id = ?")
        byRef = try RawStatement(db, "SELECT id, kind FROM watched WHERE ref = ?")
        open = try RawStatement(db, "SELECT ref, kind FROM matches WHERE origin = ? AND entry_id = ? AND retracted_at IS NULL")
    }

    func account(id: Int64, withSealed: Bool) throws -> Account? {
        defer { byID.reset() }
        byID.bind(1, id)
        guard try byID.step() else { return nil }
        return Account(id: id, ref: text(byID, 0), kind: Self.kindName(byID.int64(1)), sealed: withSealed ? byID.blob(2) : nil)
    }

    func account(ref: String) throws -> Account? {
        defer { byRef.reset() }
        byRef.bind(1, ref)
        guard try byRef.step() else { return nil }
        return Account(id: byRef.int64(0), ref: ref, kind: Self.kindName(byRef.int64(1)), sealed: nil)
    }

    /// Open matches of an entry: `(ref, kind)`.
    func openMatches(origin: String, entryID: String) throws -> [(ref: String, kind: String)] {
        defer { open.reset() }
        open.bind(1, origin)
        open.bind(2, entryID)
        var out: [(ref: String, kind: String)] = []
        while try open.step() { out.append((text(open, 0), text(open, 1))) }
        return out
    }

    static func kindName(_ code: Int64) -> String {
        IdentifierKind(code: UInt8(truncatingIfNeeded: code))?.rawValue ?? "unknown"
    }

    private func text(_ statement: RawStatement, _ column: Int32) -> String {
        String(decoding: statement.blob(column), as: UTF8.self)
    }
}
