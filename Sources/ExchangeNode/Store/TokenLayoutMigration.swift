import ExchangeCrypto
import Foundation
import GRDB

/// Migration `v3-token-layout`: `entry_tokens` becomes one B-tree keyed by (token, entry) — the
/// lookup by token, and the order the screening index loads in — instead of a rowid table with
/// two secondary indexes (three B-tree inserts per token on every import and sync page).
///
/// Without an index on `entry`, an entry's token rows are found from the entry itself: its
/// event's tokens, or `entries.index_tokens` when the indexed values differ from the event's
/// (the pairwise scheme's re-masked tokens). For the same reason the table has no foreign key
/// (a cascade would scan it); the code that deletes entries deletes their tokens first.
enum TokenLayoutMigration {
    static func run(_ db: Database) throws {
        try db.execute(sql: """
            ALTER TABLE entries ADD COLUMN index_tokens BLOB;
            CREATE TABLE entry_tokens_v3 (
                token BLOB NOT NULL,
                entry INTEGER NOT NULL,
                PRIMARY KEY (token, entry)
            ) WITHOUT ROWID;
            INSERT OR IGNORE INTO entry_tokens_v3 (token, entry) SELECT token, entry FROM entry_tokens;
            """)
        // Pairwise entries index their re-masked tokens: keep them on the entry's row.
        let rows = try GRDB.Row.fetchCursor(db, sql: """
            SELECT t.entry, t.token FROM entry_tokens t JOIN entries e ON e.id = t.entry
            WHERE e.scheme = ? ORDER BY t.entry, t.rowid
            """, arguments: [Int64(TokenSchemeID.ecdhX25519.code)])
        var current: Int64?
        var tokens = Data()
        func flush() throws {
            guard let entry = current else { return }
            try db.execute(sql: "UPDATE entries SET index_tokens = ? WHERE id = ?", arguments: [tokens, entry])
        }
        while let row = try rows.next() {
            let entry: Int64 = row[0]
            if entry != current {
                try flush()
                current = entry
                tokens = Data()
            }
            tokens.append(contentsOf: row[1] as Data)
        }
        try flush()
        try db.execute(sql: """
            DROP TABLE entry_tokens;
            ALTER TABLE entry_tokens_v3 RENAME TO entry_tokens;
            """)
    }
}
