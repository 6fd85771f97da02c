import GRDB

/// The node store's migrations. Raw identifiers are never stored in plaintext: entries hold
/// tokens, and (optionally) an AES-GCM box of their identifiers under the node-local seal key.
enum StoreSchema {
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1-entries") { db in
            try db.execute(sql: """
                CREATE TABLE entries (
                    id INTEGER PRIMARY KEY,
                    origin TEXT NOT NULL,
                    entry_id TEXT NOT NULL,
                    seq INTEGER NOT NULL,
                    version INTEGER NOT NULL,
                    status INTEGER NOT NULL,
                    revocation_reason INTEGER,
                    list INTEGER NOT NULL,
                    category INTEGER NOT NULL,
                    severity INTEGER NOT NULL,
                    role INTEGER,
                    listed_on INTEGER NOT NULL,
                    expires_on INTEGER,
                    scheme INTEGER NOT NULL,
                    epoch INTEGER NOT NULL,
                    changed_at INTEGER NOT NULL,
                    event_digest BLOB NOT NULL,
                    event BLOB NOT NULL,
                    UNIQUE (origin, entry_id)
                );
                CREATE INDEX entries_by_origin_seq ON entries (origin, seq);
                CREATE TABLE entry_tokens (
                    entry INTEGER NOT NULL REFERENCES entries (id) ON DELETE CASCADE,
                    token BLOB NOT NULL
                );
                CREATE INDEX entry_tokens_by_token ON entry_tokens (token);
                CREATE INDEX entry_tokens_by_entry ON entry_tokens (entry);
                CREATE TABLE sealed_identifiers (
                    entry INTEGER PRIMARY KEY REFERENCES entries (id) ON DELETE CASCADE,
                    sealed BLOB NOT NULL
                );
                CREATE TABLE batches (
                    origin TEXT NOT NULL,
                    first_seq INTEGER NOT NULL,
                    last_seq INTEGER NOT NULL,
                    digests BLOB NOT NULL,
                    signature BLOB NOT NULL,
                    PRIMARY KEY (origin, first_seq)
                );
                CREATE TABLE cursors (
                    origin TEXT PRIMARY KEY,
                    through_seq INTEGER NOT NULL,
                    updated_at INTEGER NOT NULL
                );
                CREATE TABLE origin_certificates (
                    origin TEXT PRIMARY KEY,
                    der BLOB NOT NULL
                );
                CREATE TABLE node_state (
                    key TEXT PRIMARY KEY,
                    value INTEGER NOT NULL
                );
                """)
        }
        migrator.registerMigration("v1-screening") { db in
            try db.execute(sql: """
                CREATE TABLE matches (
                    ref TEXT NOT NULL,
                    kind TEXT NOT NULL,
                    origin TEXT NOT NULL,
                    entry_id TEXT NOT NULL,
                    first_seen INTEGER NOT NULL,
                    retracted_at INTEGER,
                    PRIMARY KEY (ref, kind, origin, entry_id)
                );
                CREATE INDEX matches_by_entry ON matches (origin, entry_id);
                CREATE TABLE outbox (
                    seq INTEGER PRIMARY KEY AUTOINCREMENT,
                    created_at INTEGER NOT NULL,
                    type TEXT NOT NULL,
                    body TEXT NOT NULL
                );
                CREATE TABLE outbox_cursors (
                    consumer TEXT PRIMARY KEY,
                    through_seq INTEGER NOT NULL
                );
                CREATE TABLE counters (
                    day TEXT NOT NULL,
                    key TEXT NOT NULL,
                    value INTEGER NOT NULL,
                    PRIMARY KEY (day, key)
                );
                """)
        }
        migrator.registerMigration("v2-appeals") { db in
            // Appeals against entries (Governance/): `incoming` ones were filed against our entries,
            // `outgoing` ones we filed at another origin. Free text only, never an identifier.
            try db.execute(sql: """
                CREATE TABLE appeals (
                    appeal_id TEXT NOT NULL,
                    direction TEXT NOT NULL CHECK (direction IN ('incoming', 'outgoing')),
                    filer TEXT NOT NULL,
                    origin TEXT NOT NULL,
                    entry_id TEXT NOT NULL,
                    reason TEXT NOT NULL,
                    filed_at TEXT NOT NULL,
                    received_at INTEGER NOT NULL,
                    deadline TEXT NOT NULL,
                    status TEXT NOT NULL CHECK (status IN ('open', 'upheld', 'rejected')),
                    decided_at INTEGER,
                    decision TEXT,
                    overdue_counted INTEGER NOT NULL DEFAULT 0,
                    checked_at INTEGER,
                    PRIMARY KEY (direction, appeal_id)
                );
                CREATE INDEX appeals_by_entry ON appeals (origin, entry_id);
                """)
        }
        migrator.registerMigration("v2-masking") { db in
            // The pairwise scheme's per-peer daily masking budget (Exchange/MaskingService.swift).
            try db.execute(sql: """
                CREATE TABLE masking_usage (
                    peer TEXT NOT NULL,
                    day TEXT NOT NULL,
                    used INTEGER NOT NULL,
                    PRIMARY KEY (peer, day)
                );
                """)
        }
        migrator.registerMigration("v3-token-layout") { db in
            try TokenLayoutMigration.run(db)
        }
        migrator.registerMigration("v4-watch") { db in
            try WatchSchema.migrate(db)
        }
        // Webhook delivery state, one row per endpoint (Webhooks/WebhookStateTable.swift).
        migrator.registerMigration("v5-webhooks") { db in
            try db.execute(sql: WebhookStateTable.createSQL)
        }
        migrator.registerMigration("v6-recovery") { db in
            // Feed recovery after a restore (docs/operations.md, "Design: feed recovery"): what each peer
            // answered when asked what it holds of this node's own feed. The pending flag itself is in node_state.
            try db.execute(sql: """
                CREATE TABLE feed_recovery (
                    peer TEXT PRIMARY KEY,
                    held_through INTEGER NOT NULL,
                    highest_seq INTEGER NOT NULL,
                    events INTEGER NOT NULL,
                    answered_at INTEGER
                );
                """)
        }
        migrator.registerMigration("v7-epochs") { db in
            try EpochsMigration.run(db)
        }
        migrator.registerMigration("v8-watch-seals") { db in
            try WatchSchema.migrateSeals(db)
        }
        // The anti-entropy ledger (AntiEntropy/DigestLedger.swift), computed once from the entries.
        migrator.registerMigration("v9-origin-digests") { db in
            try db.execute(sql: DigestLedger.createSQL)
            try DigestLedger.rebuild(db)
        }
        // The index filter kept in step with the watch index (Watch/WatchFilterStore.swift), built once from it.
        migrator.registerMigration("v10-watch-filter") { db in
            try db.execute(sql: WatchFilterStore.createSQL)
            if try Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM watch_index)") ?? false { try WatchFilterStore.rebuild(db) }
        }
        // Fewer bytes per watched account (Watch/WatchSchema.swift).
        migrator.registerMigration("v11-watch-compact") { db in
            try WatchSchema.dropRegisteredAt(db)
        }
        // One row per watched account instead of two (Watch/WatchLayout.swift).
        migrator.registerMigration("v12-watch-refs") { db in
            try WatchSchema.migrateRefs(db)
        }
        return migrator
    }
}
