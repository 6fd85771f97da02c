import ExchangeProtocol
import Foundation
import GRDB

/// Daily counters the coordinator collects: counts only, never identifiers or tokens.
/// Keys are documented in docs/coordinator.md (`screened`, `matches.category.brushing`, ...).
package enum DailyCounters {
    static func add(day: Day, _ increments: [String: Int], _ db: Database) throws {
        let statement = try db.cachedStatement(sql: """
            INSERT INTO counters (day, key, value) VALUES (?, ?, ?)
            ON CONFLICT (day, key) DO UPDATE SET value = value + excluded.value
            """)
        let dayText = day.description
        for (key, value) in increments where value != 0 {
            try statement.execute(arguments: [dayText, key, value])
        }
    }

    static func set(day: Day, key: String, value: Int, _ db: Database) throws {
        try db.execute(sql: """
            INSERT INTO counters (day, key, value) VALUES (?, ?, ?)
            ON CONFLICT (day, key) DO UPDATE SET value = excluded.value
            """, arguments: [day.description, key, value])
    }

    package static func read(day: Day, _ db: Database) throws -> [String: Int] {
        var out = [String: Int]()
        for row in try GRDB.Row.fetchAll(db, sql: "SELECT key, value FROM counters WHERE day = ?", arguments: [day.description]) {
            out[row["key"]] = row["value"]
        }
        return out
    }

    static func days(_ db: Database) throws -> [String] {
        try String.fetchAll(db, sql: "SELECT DISTINCT day FROM counters ORDER BY day")
    }
}
