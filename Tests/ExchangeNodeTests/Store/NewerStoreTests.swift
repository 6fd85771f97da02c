import Foundation
import GRDB
import Testing

@testable import ExchangeNode

/// A store that a newer exchange-node migrated is refused, never written into.
@Suite("Store from a newer version")
struct NewerStoreTests {
    @Test("a node store holding a migration this version does not know is refused, and left as it was")
    func refusesANewerStore() throws {
        let path = NSTemporaryDirectory() + "xn-newer-store-\(UUID().uuidString).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        do {
            let store = try NodeStore(path: path)
            try store.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v99-from-the-future')") }
        }
        let before = try Self.migrations(path)
        #expect(before.contains("v99-from-the-future") && before.contains("v3-token-layout"))
        #expect(throws: NodeError.storeFromNewerVersion(path)) { _ = try NodeStore(path: path) }
        do {
            _ = try NodeStore(path: path)
        } catch {
            #expect(error.code == .storeFromNewerVersion)
            #expect(error.description.contains("newer version of exchange-node"), "\(error)")
        }
        #expect(try Self.migrations(path) == before)
    }

    static func migrations(_ path: String) throws -> [String] {
        try DatabaseQueue(path: path).read { db in try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier") }
    }
}
