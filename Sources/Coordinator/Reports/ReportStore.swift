import ExchangeProtocol
import Foundation
import GRDB

/// The coordinator's own store (`HOME/reports.sqlite`, never a node store): the last report each
/// member sent for each day, with its signature and the serial of the certificate it came with,
/// and its counters. Re-sending a day replaces it, in one transaction.
public final class ReportStore: Sendable {
    public let pool: DatabasePool

    public init(path: String) throws(CoordinatorError) {
        var configuration = Configuration()
        configuration.busyMode = .timeout(30)
        let superseded: Bool
        do {
            pool = try DatabasePool(path: path, configuration: configuration)
            // A store a newer exchange-node migrated holds migrations this one does not know: never write into it.
            superseded = try pool.read { db in try Self.migrator.hasBeenSuperseded(db) }
            if !superseded { try Self.migrator.migrate(pool) }
        } catch {
            throw .store("cannot open \(path)", underlying: error)
        }
        if superseded { throw .storeFromNewerVersion(path) }
    }

    /// What storing a report did.
    public enum Outcome: Sendable, Equatable {
        /// The first report for this (member, day).
        case stored
        /// An earlier report for this (member, day) was replaced; `revision` counts the versions received.
        case replaced(revision: Int)
    }

    /// Stores a verified report, replacing any earlier one for the same (member, day).
    func replace(_ report: DailyReport, certificateSerial: String, receivedAt millis: Int64) throws(CoordinatorError) -> Outcome {
        try write { db in
            let previous = try Int.fetchOne(db, sql: "SELECT revision FROM reports WHERE member = ? AND day = ?",
                                            arguments: [report.member, report.day])
            let revision = (previous ?? 0) + 1
            try db.execute(sql: """
                INSERT INTO reports (member, day, revision, received_at, certificate_serial, signature)
                VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT (member, day) DO UPDATE SET revision = excluded.revision, received_at = excluded.received_at,
                    certificate_serial = excluded.certificate_serial, signature = excluded.signature
                """, arguments: [report.member, report.day, revision, millis, certificateSerial, report.signature])
            try db.execute(sql: "DELETE FROM report_counters WHERE member = ? AND day = ?", arguments: [report.member, report.day])
            let insert = try db.cachedStatement(sql: "INSERT INTO report_counters (member, day, key, value) VALUES (?, ?, ?, ?)")
            for (key, value) in report.counters where value != 0 {
                try insert.execute(arguments: [report.member, report.day, key, value])
            }
            return previous == nil ? .stored : .replaced(revision: revision)
        }
    }

    /// Every stored counter, as the reporting renderers take them.
    public func rows() throws(CoordinatorError) -> [CounterRow] {
        try read { db in
            try GRDB.Row.fetchAll(db, sql: "SELECT member, day, key, value FROM report_counters ORDER BY member, day, key")
                .map { CounterRow(member: $0["member"], day: $0["day"], key: $0["key"], value: $0["value"]) }
        }
    }

    /// The (member, day) pairs reported, with their revision, sorted.
    public func reports() throws(CoordinatorError) -> [(member: String, day: String, revision: Int)] {
        try read { db in
            try GRDB.Row.fetchAll(db, sql: "SELECT member, day, revision FROM reports ORDER BY member, day")
                .map { (member: $0["member"], day: $0["day"], revision: $0["revision"]) }
        }
    }

    /// One member's counters for one day (empty when it sent none).
    public func counters(member: String, day: String) throws(CoordinatorError) -> [String: Int] {
        try read { db in
            var out: [String: Int] = [:]
            for row in try GRDB.Row.fetchAll(db, sql: "SELECT key, value FROM report_counters WHERE member = ? AND day = ?",
                                             arguments: [member, day]) {
                out[row["key"]] = row["value"]
            }
            return out
        }
    }

    private func write<T>(_ body: (Database) throws -> T) throws(CoordinatorError) -> T {
        do { return try pool.write(body) } catch let error as CoordinatorError { throw error } catch { throw .store("a transaction failed", underlying: error) }
    }

    private func read<T>(_ body: (Database) throws -> T) throws(CoordinatorError) -> T {
        do { return try pool.read(body) } catch let error as CoordinatorError { throw error } catch { throw .store("a transaction failed", underlying: error) }
    }

    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-reports") { db in
            try db.execute(sql: """
                CREATE TABLE reports (
                    member TEXT NOT NULL,
                    day TEXT NOT NULL,
                    revision INTEGER NOT NULL,
                    received_at INTEGER NOT NULL,
                    certificate_serial TEXT NOT NULL,
                    signature BLOB NOT NULL,
                    PRIMARY KEY (member, day)
                );
                CREATE TABLE report_counters (
                    member TEXT NOT NULL,
                    day TEXT NOT NULL,
                    key TEXT NOT NULL,
                    value INTEGER NOT NULL,
                    PRIMARY KEY (member, day, key)
                );
                """)
        }
        return migrator
    }
}
