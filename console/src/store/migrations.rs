//! Versioned schema migrations. Each backend keeps the versions it applied in
//! `schema_migrations`; a start applies the missing ones in order, each in a transaction
//! (PostgreSQL under an advisory lock, so instances starting together do not race).
//! Append new migrations; never edit an applied one.

/// (version, SQL) for SQLite.
pub const SQLITE: &[(i64, &str)] = &[
    (
        1,
        r#"
CREATE TABLE bundles (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    policy_id TEXT NOT NULL,
    version TEXT NOT NULL,
    text TEXT NOT NULL,
    etag TEXT NOT NULL,
    content_digest TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    signed_by TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_ms INTEGER NOT NULL,
    UNIQUE (policy_id, version)
);
CREATE TABLE rings (
    ring TEXT PRIMARY KEY,
    bundle_id INTEGER NOT NULL REFERENCES bundles(id),
    updated_ms INTEGER NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE TABLE activity (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    time_ms INTEGER NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE TABLE tokens (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL UNIQUE,
    scope TEXT NOT NULL,
    digest TEXT NOT NULL UNIQUE,
    created_ms INTEGER NOT NULL,
    revoked_ms INTEGER
);
CREATE TABLE admins (
    name TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    created_ms INTEGER NOT NULL
);
CREATE TABLE sessions (
    id_digest TEXT PRIMARY KEY,
    admin TEXT NOT NULL REFERENCES admins(name) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    expires_ms INTEGER NOT NULL
);
CREATE TABLE events (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    received_ms INTEGER NOT NULL,
    token TEXT NOT NULL,
    extension_id TEXT NOT NULL,
    time_ms INTEGER NOT NULL,
    kind TEXT NOT NULL,
    rules TEXT NOT NULL,
    severity TEXT,
    policy_id TEXT,
    policy_version TEXT,
    platform TEXT,
    site TEXT,
    extension_version TEXT NOT NULL,
    install_id TEXT,
    ring TEXT,
    user_hint TEXT,
    justification TEXT,
    reason TEXT,
    refusal_code TEXT,
    refusal_message TEXT,
    browser_name TEXT,
    browser_version TEXT
);
CREATE INDEX events_time ON events (time_ms);
CREATE INDEX events_received ON events (received_ms, seq);
CREATE INDEX events_kind_time ON events (kind, time_ms);
CREATE TABLE event_rules (
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    rule TEXT NOT NULL,
    kind TEXT NOT NULL,
    time_ms INTEGER NOT NULL,
    day INTEGER NOT NULL,
    install_id TEXT,
    PRIMARY KEY (event_id, rule)
);
CREATE INDEX event_rules_time ON event_rules (time_ms, rule);
CREATE INDEX event_rules_rule ON event_rules (rule, kind, time_ms);
CREATE TABLE installs (
    install_id TEXT PRIMARY KEY,
    ring TEXT,
    policy_id TEXT,
    policy_version TEXT,
    extension_version TEXT,
    browser_name TEXT,
    browser_version TEXT,
    last_seen_ms INTEGER NOT NULL
);
CREATE TABLE forward_state (
    name TEXT PRIMARY KEY,
    cursor INTEGER NOT NULL,
    owner TEXT,
    lease_until_ms INTEGER NOT NULL
);
"#,
    ),
    (
        2,
        // `library-used` events: which approved post (its id, never its text) and how.
        r#"
ALTER TABLE events ADD COLUMN library_entry TEXT;
ALTER TABLE events ADD COLUMN library_action TEXT;
"#,
    ),
    (
        3,
        // What full browser queues dropped (a batch's `dropped`), keyed by the batch's first
        // event id so that a retried batch counts once; failed log-ins, for the lock-out.
        r#"
CREATE TABLE dropped_reports (
    event_id TEXT PRIMARY KEY,
    received_ms INTEGER NOT NULL,
    token TEXT NOT NULL,
    install_id TEXT,
    dropped INTEGER NOT NULL
);
CREATE INDEX dropped_reports_received ON dropped_reports (received_ms);
CREATE TABLE login_failures (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    ip TEXT NOT NULL,
    time_ms INTEGER NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (name, ip, time_ms);
"#,
    ),
];

/// (version, SQL) for PostgreSQL: the same tables, PostgreSQL's types.
pub const POSTGRES: &[(i64, &str)] = &[
    (
        1,
        r#"
CREATE TABLE bundles (
    id BIGSERIAL PRIMARY KEY,
    policy_id TEXT NOT NULL,
    version TEXT NOT NULL,
    text TEXT NOT NULL,
    etag TEXT NOT NULL,
    content_digest TEXT NOT NULL,
    issued_at TEXT NOT NULL,
    expires_at TEXT NOT NULL,
    signed_by TEXT NOT NULL,
    uploaded_by TEXT NOT NULL,
    uploaded_ms BIGINT NOT NULL,
    UNIQUE (policy_id, version)
);
CREATE TABLE rings (
    ring TEXT PRIMARY KEY,
    bundle_id BIGINT NOT NULL REFERENCES bundles(id),
    updated_ms BIGINT NOT NULL,
    updated_by TEXT NOT NULL
);
CREATE TABLE activity (
    id BIGSERIAL PRIMARY KEY,
    time_ms BIGINT NOT NULL,
    actor TEXT NOT NULL,
    action TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE TABLE tokens (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    scope TEXT NOT NULL,
    digest TEXT NOT NULL UNIQUE,
    created_ms BIGINT NOT NULL,
    revoked_ms BIGINT
);
CREATE TABLE admins (
    name TEXT PRIMARY KEY,
    password_hash TEXT NOT NULL,
    created_ms BIGINT NOT NULL
);
CREATE TABLE sessions (
    id_digest TEXT PRIMARY KEY,
    admin TEXT NOT NULL REFERENCES admins(name) ON DELETE CASCADE,
    csrf TEXT NOT NULL,
    expires_ms BIGINT NOT NULL
);
CREATE TABLE events (
    seq BIGSERIAL PRIMARY KEY,
    id TEXT NOT NULL UNIQUE,
    received_ms BIGINT NOT NULL,
    token TEXT NOT NULL,
    extension_id TEXT NOT NULL,
    time_ms BIGINT NOT NULL,
    kind TEXT NOT NULL,
    rules TEXT NOT NULL,
    severity TEXT,
    policy_id TEXT,
    policy_version TEXT,
    platform TEXT,
    site TEXT,
    extension_version TEXT NOT NULL,
    install_id TEXT,
    ring TEXT,
    user_hint TEXT,
    justification TEXT,
    reason TEXT,
    refusal_code TEXT,
    refusal_message TEXT,
    browser_name TEXT,
    browser_version TEXT
);
CREATE INDEX events_time ON events (time_ms);
CREATE INDEX events_received ON events (received_ms, seq);
CREATE INDEX events_kind_time ON events (kind, time_ms);
CREATE TABLE event_rules (
    event_id TEXT NOT NULL REFERENCES events(id) ON DELETE CASCADE,
    rule TEXT NOT NULL,
    kind TEXT NOT NULL,
    time_ms BIGINT NOT NULL,
    day BIGINT NOT NULL,
    install_id TEXT,
    PRIMARY KEY (event_id, rule)
);
CREATE INDEX event_rules_time ON event_rules (time_ms, rule);
CREATE INDEX event_rules_rule ON event_rules (rule, kind, time_ms);
CREATE TABLE installs (
    install_id TEXT PRIMARY KEY,
    ring TEXT,
    policy_id TEXT,
    policy_version TEXT,
    extension_version TEXT,
    browser_name TEXT,
    browser_version TEXT,
    last_seen_ms BIGINT NOT NULL
);
CREATE TABLE forward_state (
    name TEXT PRIMARY KEY,
    cursor BIGINT NOT NULL,
    owner TEXT,
    lease_until_ms BIGINT NOT NULL
);
"#,
    ),
    (
        2,
        // `library-used` events: which approved post (its id, never its text) and how.
        r#"
ALTER TABLE events ADD COLUMN library_entry TEXT, ADD COLUMN library_action TEXT;
"#,
    ),
    (
        3,
        // What full browser queues dropped (a batch's `dropped`), keyed by the batch's first
        // event id so that a retried batch counts once; failed log-ins, for the lock-out.
        r#"
CREATE TABLE dropped_reports (
    event_id TEXT PRIMARY KEY,
    received_ms BIGINT NOT NULL,
    token TEXT NOT NULL,
    install_id TEXT,
    dropped BIGINT NOT NULL
);
CREATE INDEX dropped_reports_received ON dropped_reports (received_ms);
CREATE TABLE login_failures (
    id BIGSERIAL PRIMARY KEY,
    name TEXT NOT NULL,
    ip TEXT NOT NULL,
    time_ms BIGINT NOT NULL
);
CREATE INDEX login_failures_key ON login_failures (name, ip, time_ms);
"#,
    ),
];
