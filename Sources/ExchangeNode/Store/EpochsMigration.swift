import GRDB

/// Migration `v7-epochs` (docs/membership.md): the keyed-hash token-key epochs this node knows of —
/// their changeover deadlines as the coordinator published them, when it acquired each key and when it
/// retired it — and the members the coordinator expelled, with the policy applied to their entries.
enum EpochsMigration {
    static func run(_ db: Database) throws {
        try db.execute(sql: """
            CREATE TABLE token_epochs (
                epoch INTEGER PRIMARY KEY,
                fingerprint TEXT,
                changeover_deadline INTEGER,
                acquired_at INTEGER,
                retired_at INTEGER
            );
            CREATE TABLE expelled_members (
                member TEXT PRIMARY KEY,
                removed_at TEXT NOT NULL,
                entries TEXT NOT NULL CHECK (entries IN ('keep', 'withdraw')),
                applied_at INTEGER NOT NULL,
                withdrawn INTEGER NOT NULL DEFAULT 0,
                retractions INTEGER NOT NULL DEFAULT 0
            );
            """)
    }
}
