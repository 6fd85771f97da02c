import Foundation
import GRDB

/// The node store: one SQLite file in WAL mode, opened through GRDB.
///
/// Every multi-row change (an import, a sync page with its cursor, a revocation with its
/// retractions) is one transaction, so a kill at any moment leaves the store as it was before
/// or after the change, never in between.
public final class NodeStore: Sendable {
    public let pool: DatabasePool
    public let path: String

    public init(path: String) throws(NodeError) {
        self.path = path
        var configuration = Configuration()
        configuration.prepareDatabase { db in
            try db.execute(sql: "PRAGMA synchronous = NORMAL")
            // Page cache: 64 MiB for the one writer, 16 MiB for each reader (GRDB opens up to five),
            // so a node's SQLite memory is bounded whatever the store's size; the OS caches the rest.
            try db.execute(sql: db.configuration.readonly ? "PRAGMA cache_size = -16384" : "PRAGMA cache_size = -65536")
            // Checkpoint after 64 MiB of WAL rather than SQLite's 4 MiB: a sync transaction of
            // 50 000 entries rewrites thousands of randomly placed index pages, and checkpointing
            // after every one of them doubled the cost of catching up on a long feed.
            try db.execute(sql: "PRAGMA wal_autocheckpoint = 16384")
        }
        configuration.busyMode = .timeout(30)
        let superseded: Bool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            // A store a newer exchange-node migrated holds migrations this one does not know: never write into it.
            superseded = try pool.read { db in try StoreSchema.migrator.hasBeenSuperseded(db) }
            if !superseded { try StoreSchema.migrator.migrate(pool) }
        } catch {
            throw .store("cannot open \(path)", underlying: error)
        }
        if superseded { throw .storeFromNewerVersion(path) }
    }

    public convenience init(home: NodeHome) throws(NodeError) {
        try self.init(path: home.storeFile.path)
    }

    /// Runs `body` in one write transaction, mapping database errors to ``NodeError``.
    public func write<T>(_ body: (Database) throws -> T) throws(NodeError) -> T {
        do {
            return try pool.write(body)
        } catch let error as NodeError {
            throw error
        } catch {
            throw .store("a transaction failed", underlying: error)
        }
    }

    public func read<T>(_ body: (Database) throws -> T) throws(NodeError) -> T {
        do {
            return try pool.read(body)
        } catch let error as NodeError {
            throw error
        } catch {
            throw .store("a transaction failed", underlying: error)
        }
    }

    /// Bytes used by the store's files (database plus WAL).
    public var sizeOnDisk: Int {
        [path, path + "-wal", path + "-shm"].reduce(0) { total, file in
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? 0
            return total + (size ?? 0)
        }
    }
}
