import Foundation
import GRDB

/// The next records one endpoint is owed: those after its cursor whose type it takes, oldest first.
struct WebhookBatch: Sendable, Equatable {
    struct Record: Sendable, Equatable {
        let seq: Int64
        /// The outbox record, byte for byte as stored (and as `GET /v1/outbox` serves it).
        let json: String
    }

    let records: [Record]
    /// Records of other types up to here can be passed without a delivery (0: none seen).
    let skippableThrough: Int64

    var lastSeq: Int64? { records.last?.seq }

    /// At most `limit` records after `cursor` of `types`; reads at most `limit` × 4 outbox rows.
    static func next(after cursor: Int64, types: [String], limit: Int, _ db: Database) throws -> WebhookBatch {
        let wanted = Set(types)
        var records: [Record] = []
        var scannedThrough: Int64 = 0
        let rows = try GRDB.Row.fetchCursor(db, sql: "SELECT seq, type, body FROM outbox WHERE seq > ? ORDER BY seq LIMIT ?",
                                            arguments: [cursor, limit * 4])
        while let row = try rows.next() {
            let seq: Int64 = row["seq"]
            if wanted.contains(row["type"] as String) {
                records.append(Record(seq: seq, json: row["body"]))
                if records.count == limit { break }
            } else if records.isEmpty {
                scannedThrough = seq
            }
        }
        return WebhookBatch(records: records, skippableThrough: scannedThrough)
    }

    /// The outbox's last seq (0 when empty).
    static func head(_ db: Database) throws -> Int64 {
        try Int64.fetchOne(db, sql: "SELECT MAX(seq) FROM outbox") ?? 0
    }

    /// The request body: `{"webhook":ID,"records":[{"seq":N,"record":RECORD},…]}`. Each RECORD is the stored
    /// outbox JSON embedded as it is (it is already JSON, and the member's systems see the same bytes by
    /// webhook and by `GET /v1/outbox`); the envelope around it is fixed.
    func body(webhook id: String) -> [UInt8] {
        var out = "{\"webhook\":\"\(id)\",\"records\":["  // the id is [a-z0-9-]: nothing to escape
        for (index, record) in records.enumerated() {
            if index > 0 { out += "," }
            out += "{\"seq\":\(record.seq),\"record\":\(record.json)}"
        }
        out += "]}"
        return Array(out.utf8)
    }
}
