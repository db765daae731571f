//! Storage behind one trait, two backends: SQLite in one file (the default, zero set-up)
//! and PostgreSQL (several console instances share one database). Handlers and commands
//! are generic over [`Store`], so they never know which one runs.

use std::future::Future;

use serde::Serialize;

use crate::error::Result;
use crate::event::{Batch, Stored};

pub mod migrations;
pub mod postgres;
pub mod sqlite;

pub use postgres::PgStore;
pub use sqlite::SqliteStore;

/// A signed bundle the console accepted.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BundleRow {
    pub id: i64,
    pub policy_id: String,
    pub version: String,
    /// The bundle file, byte for byte as uploaded (browsers verify the signature).
    #[serde(skip)]
    pub text: String,
    /// Strong ETag of `text` (`"sha256-..."`).
    pub etag: String,
    /// Digest of the policy files inside, without the stamp: two bundles with the same
    /// content digest enforce the same policy (a rollback re-signs old content).
    pub content_digest: String,
    pub issued_at: String,
    pub expires_at: String,
    pub signed_by: String,
    pub uploaded_by: String,
    pub uploaded_ms: i64,
}

/// A new bundle to store.
#[derive(Debug, Clone)]
pub struct NewBundle {
    pub policy_id: String,
    pub version: String,
    pub text: String,
    pub etag: String,
    pub content_digest: String,
    pub issued_at: String,
    pub expires_at: String,
    pub signed_by: String,
    pub uploaded_by: String,
    pub uploaded_ms: i64,
}

/// A ring and the bundle it serves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RingRow {
    pub ring: String,
    pub bundle: BundleRow,
    pub updated_ms: i64,
    pub updated_by: String,
}

/// One line of the admin activity log: who did what, when.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Activity {
    pub id: i64,
    pub time_ms: i64,
    pub actor: String,
    pub action: String,
    pub detail: String,
}

/// A change of the bundle a ring serves, made only if the ring still serves
/// `expected` (None: the ring is new), so two admins or two instances cannot race.
#[derive(Debug, Clone)]
pub struct RingChange {
    pub ring: String,
    pub bundle_id: i64,
    pub expected: Option<i64>,
    pub actor: String,
    pub action: String,
    pub detail: String,
    pub now_ms: i64,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Scope {
    /// May only send events (`POST /v1/events`): what browsers carry.
    Enroll,
    /// May use the admin API and the export.
    Admin,
}

impl Scope {
    pub fn name(self) -> &'static str {
        match self {
            Scope::Enroll => "enroll",
            Scope::Admin => "admin",
        }
    }
    pub fn parse(s: &str) -> Option<Scope> {
        match s {
            "enroll" => Some(Scope::Enroll),
            "admin" => Some(Scope::Admin),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TokenRow {
    pub id: i64,
    pub name: String,
    pub scope: Scope,
    pub created_ms: i64,
    pub revoked_ms: Option<i64>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Session {
    pub admin: String,
    pub csrf: String,
    pub expires_ms: i64,
}

/// What one intake call did.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Inserted {
    pub accepted: usize,
    /// Events whose id was already stored (a retry): not counted again.
    pub duplicates: usize,
}

/// Per rule, per UTC day.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RuleDay {
    pub rule: String,
    /// `2026-11-23`.
    pub day: String,
    /// Post attempts the rule stopped (enforce rules).
    pub blocked: i64,
    /// "Post anyway" on the rule (enforce rules).
    pub overrides: i64,
    /// Posts the rule would have stopped had it been enforced (monitor rules).
    pub monitor: i64,
    pub installs: i64,
}

/// Per rule, over a window.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleTotal {
    pub rule: String,
    pub blocked: i64,
    pub overrides: i64,
    pub monitor: i64,
    /// Distinct installs with any event of the rule.
    pub installs: i64,
    /// overrides / blocked (None without blocked attempts).
    pub override_rate: Option<f64>,
}

/// "If we enforced this monitor rule": posts it would have stopped, from how many installs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PilotImpact {
    pub rule: String,
    pub posts: i64,
    pub installs: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Justification {
    pub event_id: String,
    pub time_ms: i64,
    pub rules: Vec<String>,
    pub justification: String,
    pub platform: Option<String>,
    pub site: Option<String>,
    pub install_id: Option<String>,
    pub user_hint: Option<String>,
}

/// Installs per ring and policy version (from each install's latest event).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct FleetRow {
    pub ring: String,
    pub policy_id: String,
    pub policy_version: String,
    pub installs: i64,
}

/// Installs per browser and extension version.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BrowserRow {
    pub browser: String,
    pub browser_version: String,
    pub extension_version: String,
    pub installs: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RefusalRow {
    pub code: String,
    pub events: i64,
    pub installs: i64,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct PlatformRow {
    pub platform: String,
    pub site: String,
    pub blocked: i64,
    pub overrides: i64,
    pub monitor: i64,
    pub installs: i64,
}

/// "Approved posts used": one library entry over a window.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LibraryUse {
    /// The approved post's id (`library[].id` in the policy).
    pub entry: String,
    /// `library-used` events: inserts plus copies.
    pub uses: i64,
    pub inserts: i64,
    pub copies: i64,
    /// Distinct installs that used it.
    pub installs: i64,
    /// The same per platform, most used first.
    pub platforms: Vec<LibraryPlatform>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LibraryPlatform {
    pub platform: String,
    pub uses: i64,
    pub installs: i64,
}

/// Events browsers dropped from a full queue (a batch's `dropped`), per ring.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DroppedRow {
    pub ring: String,
    /// Events lost before they could be sent.
    pub dropped: i64,
    /// Installs that reported losses.
    pub installs: i64,
    /// Batches that reported losses.
    pub batches: i64,
}

/// Failed log-ins of one admin name from one address in a window.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LoginFailures {
    pub count: i64,
    /// The oldest failure in the window.
    pub oldest_ms: Option<i64>,
}

/// Where the SIEM forwarder is, shared by every instance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ForwardLease {
    /// The last event `seq` delivered.
    pub cursor: i64,
}

/// Every read and write the console makes. Each method is one transaction.
pub trait Store: Clone + Send + Sync + 'static {
    /// Which backend, for logs: `sqlite` or `postgres`.
    fn backend(&self) -> &'static str;
    /// The migration versions applied, in order.
    fn schema_versions(&self) -> impl Future<Output = Result<Vec<i64>>> + Send;

    // ---- bundles and rings
    /// Stores a bundle; an identical one (same policy, version, text) already stored is
    /// returned as is; the same policy and version with other text is a conflict.
    fn bundle_insert(&self, b: NewBundle) -> impl Future<Output = Result<BundleRow>> + Send;
    fn bundles(&self) -> impl Future<Output = Result<Vec<BundleRow>>> + Send;
    fn bundle(&self, id: i64) -> impl Future<Output = Result<Option<BundleRow>>> + Send;
    fn ring(&self, ring: &str) -> impl Future<Output = Result<Option<RingRow>>> + Send;
    fn rings(&self) -> impl Future<Output = Result<Vec<RingRow>>> + Send;
    /// Points a ring at a bundle and logs it, in one transaction; a conflict if the ring
    /// changed since `expected` was read.
    fn ring_assign(&self, change: RingChange) -> impl Future<Output = Result<()>> + Send;
    fn log(
        &self,
        actor: &str,
        action: &str,
        detail: &str,
        now_ms: i64,
    ) -> impl Future<Output = Result<()>> + Send;
    /// The newest first.
    fn activity(&self, limit: i64) -> impl Future<Output = Result<Vec<Activity>>> + Send;

    // ---- tokens, admins, sessions
    /// `digest`: SHA-256 of the token (the token itself is never stored).
    fn token_create(
        &self,
        name: &str,
        scope: Scope,
        digest: &str,
        now_ms: i64,
    ) -> impl Future<Output = Result<TokenRow>> + Send;
    /// A token that is not revoked.
    fn token_by_digest(
        &self,
        digest: &str,
    ) -> impl Future<Output = Result<Option<TokenRow>>> + Send;
    fn tokens(&self) -> impl Future<Output = Result<Vec<TokenRow>>> + Send;
    fn token_revoke(&self, name: &str, now_ms: i64) -> impl Future<Output = Result<bool>> + Send;
    /// Adds an admin or replaces their password hash (PHC string).
    fn admin_set(
        &self,
        name: &str,
        password_hash: &str,
        now_ms: i64,
    ) -> impl Future<Output = Result<()>> + Send;
    fn admin_password_hash(
        &self,
        name: &str,
    ) -> impl Future<Output = Result<Option<String>>> + Send;
    fn admins(&self) -> impl Future<Output = Result<Vec<String>>> + Send;
    /// `id_digest`: SHA-256 of the session cookie's value.
    fn session_create(
        &self,
        id_digest: &str,
        session: &Session,
    ) -> impl Future<Output = Result<()>> + Send;
    /// A session that has not expired at `now_ms`.
    fn session(
        &self,
        id_digest: &str,
        now_ms: i64,
    ) -> impl Future<Output = Result<Option<Session>>> + Send;
    fn session_delete(&self, id_digest: &str) -> impl Future<Output = Result<()>> + Send;
    /// Failed log-ins of `name` from `ip` at or after `since_ms`.
    fn login_failures(
        &self,
        name: &str,
        ip: &str,
        since_ms: i64,
    ) -> impl Future<Output = Result<LoginFailures>> + Send;
    /// Records a failed log-in (and forgets failures older than a day).
    fn login_failure_add(
        &self,
        name: &str,
        ip: &str,
        now_ms: i64,
    ) -> impl Future<Output = Result<()>> + Send;
    /// A successful log-in forgets the failures of `name` from `ip`.
    fn login_failures_clear(&self, name: &str, ip: &str)
    -> impl Future<Output = Result<()>> + Send;

    // ---- events
    /// Stores the batch's events; an id already stored is skipped (retries count once).
    /// A batch's `dropped` is stored under its first event's id (a retry counts once).
    fn insert_events(
        &self,
        batch: &Batch,
        token: &str,
        now_ms: i64,
    ) -> impl Future<Output = Result<Inserted>> + Send;
    /// Deletes events that happened before `before_ms`; returns how many.
    fn delete_events_before(&self, before_ms: i64) -> impl Future<Output = Result<u64>> + Send;
    /// Events received at or after `since_ms` and with `seq` above `after_seq`, in `seq` order.
    fn events_since(
        &self,
        since_ms: i64,
        after_seq: i64,
        limit: i64,
    ) -> impl Future<Output = Result<Vec<Stored>>> + Send;
    fn event_count(&self) -> impl Future<Output = Result<i64>> + Send;

    // ---- the dashboard's questions (times in ms, windows [from, to))
    fn rule_days(
        &self,
        from_ms: i64,
        to_ms: i64,
    ) -> impl Future<Output = Result<Vec<RuleDay>>> + Send;
    fn rule_totals(
        &self,
        from_ms: i64,
        to_ms: i64,
    ) -> impl Future<Output = Result<Vec<RuleTotal>>> + Send;
    fn pilot_impact(&self, since_ms: i64) -> impl Future<Output = Result<Vec<PilotImpact>>> + Send;
    /// Override justifications, newest first; `rule` and `search` (case-insensitive
    /// substring) narrow them.
    fn justifications(
        &self,
        rule: Option<&str>,
        search: Option<&str>,
        limit: i64,
    ) -> impl Future<Output = Result<Vec<Justification>>> + Send;
    /// Installs seen since `since_ms`, by ring and policy version.
    fn fleet(&self, since_ms: i64) -> impl Future<Output = Result<Vec<FleetRow>>> + Send;
    fn fleet_browsers(&self, since_ms: i64)
    -> impl Future<Output = Result<Vec<BrowserRow>>> + Send;
    fn refusals(&self, since_ms: i64) -> impl Future<Output = Result<Vec<RefusalRow>>> + Send;
    /// Events dropped by full browser queues, reported since `since_ms`, per ring.
    fn dropped(&self, since_ms: i64) -> impl Future<Output = Result<Vec<DroppedRow>>> + Send;
    fn platforms(&self, since_ms: i64) -> impl Future<Output = Result<Vec<PlatformRow>>> + Send;
    /// Approved posts used since `since_ms` (`library-used` events), most used first.
    fn library_usage(&self, since_ms: i64) -> impl Future<Output = Result<Vec<LibraryUse>>> + Send;

    // ---- the SIEM forwarder
    /// Takes (or renews) the forwarder's lease for `owner` until `until_ms`; None if
    /// another instance holds it.
    fn forward_lease(
        &self,
        owner: &str,
        now_ms: i64,
        until_ms: i64,
    ) -> impl Future<Output = Result<Option<ForwardLease>>> + Send;
    /// Moves the cursor (only while `owner` holds the lease).
    fn forward_advance(
        &self,
        owner: &str,
        cursor: i64,
    ) -> impl Future<Output = Result<bool>> + Send;
}

/// `?` placeholders to PostgreSQL's `$1, $2...`.
pub(crate) fn pg_sql(sql: &str) -> String {
    let mut out = String::with_capacity(sql.len() + 8);
    let mut n = 0;
    for c in sql.chars() {
        if c == '?' {
            n += 1;
            out.push('$');
            out.push_str(&n.to_string());
        } else {
            out.push(c);
        }
    }
    out
}

/// `%` `_` `\` escaped for LIKE ... ESCAPE '\'.
pub(crate) fn like_pattern(search: &str) -> String {
    let mut s = String::from("%");
    for c in search.to_lowercase().chars() {
        if matches!(c, '%' | '_' | '\\') {
            s.push('\\');
        }
        s.push(c);
    }
    s.push('%');
    s
}

/// The dashboard's queries, the same SQL for both backends (`?` placeholders).
pub(crate) mod sql {
    pub const RULE_DAYS: &str = "SELECT rule, day, \
        SUM(CASE WHEN kind = 'blocked' THEN 1 ELSE 0 END), \
        SUM(CASE WHEN kind = 'override' THEN 1 ELSE 0 END), \
        SUM(CASE WHEN kind = 'monitor' THEN 1 ELSE 0 END), \
        COUNT(DISTINCT install_id) \
        FROM event_rules WHERE time_ms >= ? AND time_ms < ? GROUP BY rule, day ORDER BY rule, day";
    pub const RULE_TOTALS: &str = "SELECT rule, \
        SUM(CASE WHEN kind = 'blocked' THEN 1 ELSE 0 END), \
        SUM(CASE WHEN kind = 'override' THEN 1 ELSE 0 END), \
        SUM(CASE WHEN kind = 'monitor' THEN 1 ELSE 0 END), \
        COUNT(DISTINCT install_id) \
        FROM event_rules WHERE time_ms >= ? AND time_ms < ? GROUP BY rule ORDER BY rule";
    pub const PILOT: &str = "SELECT rule, COUNT(*), COUNT(DISTINCT install_id) FROM event_rules \
        WHERE kind = 'monitor' AND time_ms >= ? GROUP BY rule ORDER BY COUNT(*) DESC, rule";
    pub const FLEET: &str = "SELECT COALESCE(ring, ''), COALESCE(policy_id, ''), COALESCE(policy_version, ''), COUNT(*) \
        FROM installs WHERE last_seen_ms >= ? GROUP BY 1, 2, 3 ORDER BY 1, 2, 3";
    pub const BROWSERS: &str = "SELECT COALESCE(browser_name, ''), COALESCE(browser_version, ''), COALESCE(extension_version, ''), COUNT(*) \
        FROM installs WHERE last_seen_ms >= ? GROUP BY 1, 2, 3 ORDER BY 4 DESC, 1, 2, 3";
    pub const REFUSALS: &str = "SELECT COALESCE(refusal_code, ''), COUNT(*), COUNT(DISTINCT install_id) FROM events \
        WHERE kind = 'bundle-refused' AND time_ms >= ? GROUP BY 1 ORDER BY 2 DESC, 1";
    pub const PLATFORMS: &str = "SELECT COALESCE(platform, ''), COALESCE(site, ''), \
        SUM(CASE WHEN kind = 'blocked' THEN 1 ELSE 0 END), \
        SUM(CASE WHEN kind = 'override' THEN 1 ELSE 0 END), \
        SUM(CASE WHEN kind = 'monitor' THEN 1 ELSE 0 END), \
        COUNT(DISTINCT install_id) FROM events \
        WHERE kind IN ('blocked', 'override', 'monitor') AND time_ms >= ? GROUP BY 1, 2 ORDER BY 1, 2";
    pub const LIBRARY: &str = "SELECT library_entry, COUNT(*), \
        SUM(CASE WHEN library_action = 'insert' THEN 1 ELSE 0 END), \
        SUM(CASE WHEN library_action = 'copy' THEN 1 ELSE 0 END), \
        COUNT(DISTINCT install_id) FROM events \
        WHERE kind = 'library-used' AND time_ms >= ? GROUP BY library_entry ORDER BY 2 DESC, 1";
    pub const LIBRARY_PLATFORMS: &str = "SELECT library_entry, COALESCE(platform, ''), COUNT(*), COUNT(DISTINCT install_id) FROM events \
        WHERE kind = 'library-used' AND time_ms >= ? GROUP BY 1, 2 ORDER BY 1, 3 DESC, 2";
    pub const DROPPED: &str = "SELECT COALESCE(i.ring, ''), CAST(SUM(d.dropped) AS BIGINT), \
        COUNT(DISTINCT d.install_id), COUNT(*) FROM dropped_reports d \
        LEFT JOIN installs i ON i.install_id = d.install_id \
        WHERE d.received_ms >= ? GROUP BY 1 ORDER BY 2 DESC, 1";
    pub const DROPPED_INSERT: &str = "INSERT INTO dropped_reports (event_id, received_ms, token, install_id, dropped) \
        VALUES (?, ?, ?, ?, ?) ON CONFLICT DO NOTHING";
    pub const LOGIN_FAILURES: &str = "SELECT COUNT(*), MIN(time_ms) FROM login_failures WHERE name = ? AND ip = ? AND time_ms >= ?";
    pub const EVENT_COLUMNS: &str = "seq, received_ms, token, extension_id, id, time_ms, kind, rules, severity, \
        policy_id, policy_version, platform, site, extension_version, install_id, ring, user_hint, \
        justification, reason, refusal_code, refusal_message, browser_name, browser_version, \
        library_entry, library_action";
    pub const BUNDLE_COLUMNS: &str = "id, policy_id, version, text, etag, content_digest, issued_at, expires_at, \
        signed_by, uploaded_by, uploaded_ms";
}

/// Puts each entry's per-platform rows (in LIBRARY_PLATFORMS order) under it.
pub(crate) fn library_rows(
    mut entries: Vec<LibraryUse>,
    platforms: Vec<(String, LibraryPlatform)>,
) -> Vec<LibraryUse> {
    for (entry, p) in platforms {
        if let Some(e) = entries.iter_mut().find(|e| e.entry == entry) {
            e.platforms.push(p);
        }
    }
    entries
}

pub(crate) fn rule_total(
    rule: String,
    blocked: i64,
    overrides: i64,
    monitor: i64,
    installs: i64,
) -> RuleTotal {
    RuleTotal {
        rule,
        blocked,
        overrides,
        monitor,
        installs,
        override_rate: (blocked > 0).then(|| overrides as f64 / blocked as f64),
    }
}
