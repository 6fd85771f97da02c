import ExchangeProtocol
import Foundation
import GRDB

/// Records matches for the member's systems: each (ref, kind, origin, entry) once, with an outbox
/// record the first time it is seen, and the day's counters (counts only). The `matches…` counters
/// count these new matches — exactly the match records the outbox receives — so the coordinator's
/// totals add up to what the members' systems were told; re-screening an account that already
/// matched adds to `screened` only.
///
/// The watch (Watch/, docs/watch.md) records with `source: "watch"` (its records say so) and
/// `reopen: true`: a retracted match that holds again (the entry listed again, or amended back)
/// is opened and emitted again. Screening never re-opens a retracted match.
enum MatchRecorder {
    static func record(
        _ matches: [ScreenMatch], screened: Int, day: Day, at millis: Int64, _ db: Database,
        source: String? = nil, reopen: Bool = false
    ) throws -> Int {
        var counters: [String: Int] = ["screened": screened]
        let insert = try db.cachedStatement(sql: reopen ? """
            INSERT INTO matches (ref, kind, origin, entry_id, first_seen) VALUES (?, ?, ?, ?, ?)
            ON CONFLICT (ref, kind, origin, entry_id) DO UPDATE SET first_seen = excluded.first_seen, retracted_at = NULL
            WHERE matches.retracted_at IS NOT NULL
            """ : """
            INSERT OR IGNORE INTO matches (ref, kind, origin, entry_id, first_seen) VALUES (?, ?, ?, ?, ?)
            """)
        var fresh = 0
        var distinct = Set<String>()
        for match in matches {
            try insert.execute(arguments: [match.ref, match.kind, match.origin, match.entryID, millis])
            guard db.changesCount > 0 else { continue }
            fresh += 1
            distinct.insert("\(match.origin)\u{0}\(match.entryID)")
            counters["matches.origin.\(match.origin)", default: 0] += 1
            counters["matches.list.\(match.list)", default: 0] += 1
            counters["matches.category.\(match.category)", default: 0] += 1
            counters["matches.severity.\(match.severity)", default: 0] += 1
            for measure in match.measures { counters["matches.measure.\(measure)", default: 0] += 1 }
            var body: [String: OutboxValue] = [
                "type": .string("match"), "ref": .string(match.ref), "kind": .string(match.kind),
                "origin": .string(match.origin), "entry_id": .string(match.entryID), "list": .string(match.list),
                "category": .string(match.category), "severity": .int(match.severity),
                "listed_on": .string(match.listedOn), "expires_on": match.expiresOn.map(OutboxValue.string) ?? .null,
                "measures": .strings(match.measures), "at": .string(ISO8601.format(millis: millis)),
            ]
            if !match.incentives.isEmpty { body["incentives"] = .strings(match.incentives) }
            if let source { body["source"] = .string(source) }
            try Outbox.append(type: "match", body: body, at: millis, db)
        }
        counters["matches"] = fresh
        counters["distinct_entries"] = distinct.count
        try DailyCounters.add(day: day, counters, db)
        return fresh
    }
}
