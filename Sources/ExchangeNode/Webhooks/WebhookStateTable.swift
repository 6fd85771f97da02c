import GRDB

/// SQL of `webhook_deliveries`. Each change is one statement inside the caller's transaction.
enum WebhookStateTable {
    static let createSQL = """
        CREATE TABLE webhook_deliveries (
            endpoint TEXT PRIMARY KEY,
            through_seq INTEGER NOT NULL,
            state TEXT NOT NULL,
            attempts INTEGER NOT NULL,
            next_attempt_at INTEGER,
            last_error TEXT,
            last_success_at INTEGER,
            delivered INTEGER NOT NULL
        );
        """

    /// The endpoint's state, created at `startAfter` the first time.
    static func ensure(_ endpoint: String, startAfter: Int64, _ db: Database) throws -> WebhookDeliveryState {
        try db.execute(sql: """
            INSERT OR IGNORE INTO webhook_deliveries (endpoint, through_seq, state, attempts, delivered)
            VALUES (?, ?, 'active', 0, 0)
            """, arguments: [endpoint, startAfter])
        return try read(endpoint, db)!
    }

    static func read(_ endpoint: String, _ db: Database) throws -> WebhookDeliveryState? {
        try GRDB.Row.fetchOne(db, sql: "SELECT * FROM webhook_deliveries WHERE endpoint = ?", arguments: [endpoint]).map(state)
    }

    static func all(_ db: Database) throws -> [WebhookDeliveryState] {
        try GRDB.Row.fetchAll(db, sql: "SELECT * FROM webhook_deliveries ORDER BY endpoint").map(state)
    }

    /// The endpoint acknowledged every record through `seq` (`count` of them were sent).
    static func acknowledge(_ endpoint: String, through seq: Int64, count: Int, at millis: Int64, _ db: Database) throws {
        try db.execute(sql: """
            UPDATE webhook_deliveries SET through_seq = MAX(through_seq, ?), state = 'active', attempts = 0,
                next_attempt_at = NULL, last_error = NULL, last_success_at = ?, delivered = delivered + ?
            WHERE endpoint = ?
            """, arguments: [seq, millis, count, endpoint])
    }

    /// Records of other types up to `seq` need no delivery.
    static func skip(_ endpoint: String, through seq: Int64, _ db: Database) throws {
        try db.execute(sql: "UPDATE webhook_deliveries SET through_seq = MAX(through_seq, ?) WHERE endpoint = ?",
                       arguments: [seq, endpoint])
    }

    /// A failed attempt: the next one is due at `next`; the endpoint is failing from `failing` on.
    static func fail(_ endpoint: String, attempts: Int, failing: Bool, next: Int64, error: String, _ db: Database) throws {
        try db.execute(sql: """
            UPDATE webhook_deliveries SET attempts = ?, state = ?, next_attempt_at = ?, last_error = ? WHERE endpoint = ?
            """, arguments: [attempts, failing ? "failing" : "active", next, error, endpoint])
    }

    static func delete(_ endpoint: String, _ db: Database) throws {
        try db.execute(sql: "DELETE FROM webhook_deliveries WHERE endpoint = ?", arguments: [endpoint])
    }

    private static func state(_ row: GRDB.Row) -> WebhookDeliveryState {
        WebhookDeliveryState(
            endpoint: row["endpoint"], throughSeq: row["through_seq"],
            state: WebhookDeliveryState.Health(rawValue: row["state"]) ?? .active, attempts: row["attempts"],
            nextAttemptAt: row["next_attempt_at"], lastError: row["last_error"], lastSuccessAt: row["last_success_at"],
            delivered: row["delivered"])
    }
}
