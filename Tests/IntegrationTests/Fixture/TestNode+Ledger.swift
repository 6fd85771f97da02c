import AllianceTestSupport
import GRDB

@testable import ExchangeNode

extension TestNode {
    /// Whether the node's anti-entropy ledger is the one its entries give (read-only: the node may be serving).
    func ledgerInStep() throws -> Bool {
        try readStore { db in try DigestLedger.isInStep(db) }
    }

    /// Whether the node's stored watch index filter holds every key of its watch index (read-only).
    func watchFilterInStep() throws -> Bool {
        try readStore { db in try WatchFilterStore.isInStep(db) }
    }

    /// Reads the node's store through a read-only connection of its own.
    private func readStore<T>(_ body: (Database) throws -> T) throws -> T {
        var configuration = Configuration()
        configuration.readonly = true
        let queue = try DatabaseQueue(path: storePath, configuration: configuration)
        defer { try? queue.close() }
        return try queue.read(body)
    }
}
