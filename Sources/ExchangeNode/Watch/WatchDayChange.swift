import Foundation
import ExchangeCrypto
import ExchangeProtocol
import GRDB

/// At each day change (checked at every sync round and recorded screen; a no-op the rest of the
/// day): entries whose listing day has come are matched against the watched base, and matches
/// whose entry expired are retracted. O(entries starting or expiring), never O(watched base).
enum WatchDayChange {
    struct Outcome: Sendable, Equatable {
        var processed = false
        var listings = 0
        var matches = 0
        var retractions = 0
    }

    static func run(_ arrival: WatchArrival, day: Day, at millis: Int64, _ db: Database) throws -> Outcome {
        if let last = try WatchState.get(db, WatchState.dayKey), last >= Int64(day.ordinal) { return Outcome() }
        var outcome = Outcome(processed: true)
        let rows = try GRDB.Row.fetchAll(db, sql: """
            SELECT e.event, e.index_tokens FROM watch_listings w
            JOIN entries e ON e.origin = w.origin AND e.entry_id = w.entry_id
            WHERE w.listed_on <= ?
            """, arguments: [Int64(day.ordinal)])
        var changes: [WatchArrival.Change] = []
        for row in rows {
            let event = try EntryEvent(canonical: [UInt8](row[0] as Data))
            let stored: Data? = row[1]
            let tokens = stored.map(Self.tokens(in:)) ?? event.tokens
            changes.append(WatchArrival.Change(event: event, indexTokens: tokens, replaced: false))
        }
        try db.execute(sql: "DELETE FROM watch_listings WHERE listed_on <= ?", arguments: [Int64(day.ordinal)])
        outcome.listings = changes.count
        outcome.matches = try arrival.process(changes, probed: nil, day: day, at: millis, db).matches
        outcome.retractions = try Retractions.retractExpired(asOf: day, at: millis, db)
        try WatchState.set(db, WatchState.dayKey, Int64(day.ordinal))
        return outcome
    }

    /// The 32-byte values of `entries.index_tokens`, back to back.
    static func tokens(in blob: Data) -> [Token] {
        let bytes = [UInt8](blob)
        return stride(from: 0, to: bytes.count - bytes.count % 32, by: 32).compactMap { Token(bytes: bytes[$0..<$0 + 32]) }
    }
}
