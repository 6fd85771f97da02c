import Foundation
import GRDB
import Testing

@testable import ExchangeCoordinator

/// The coordinator's report store, like a node's, is refused when a newer exchange-node migrated it.
@Suite("Report store from a newer version")
struct NewerReportStoreTests {
    @Test("a report store holding a migration this version does not know is refused")
    func refusesANewerStore() throws {
        let path = NSTemporaryDirectory() + "xn-newer-reports-\(UUID().uuidString).sqlite"
        defer { for suffix in ["", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) } }
        do {
            let store = try ReportStore(path: path)
            try store.pool.write { db in try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v9-from-the-future')") }
        }
        #expect(throws: CoordinatorError.storeFromNewerVersion(path)) { _ = try ReportStore(path: path) }
        let identifiers = try DatabaseQueue(path: path).read { db in
            try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
        }
        #expect(identifiers == ["v1-reports", "v9-from-the-future"])
    }
}
