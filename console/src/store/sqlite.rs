//! SQLite: one file, WAL (readers never wait for the writer), one writer connection and a
//! few readers, each used on tokio's blocking pool.

use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};

use rusqlite::functions::FunctionFlags;
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::*;
use crate::error::Error;
use crate::event::{Event, Kind};
use crate::time::DAY_MS;

const READERS: usize = 3;

#[derive(Clone)]
pub struct SqliteStore {
    path: PathBuf,
    writer: Arc<Mutex<Connection>>,
    readers: Arc<Vec<Mutex<Connection>>>,
    next: Arc<AtomicUsize>,
}

fn connect(path: &Path) -> Result<Connection> {
    let c = Connection::open(path)
        .map_err(|e| Error::db(format!("cannot open {}: {e}", path.display())))?;
    c.busy_timeout(std::time::Duration::from_secs(10))?;
    c.pragma_update(None, "journal_mode", "WAL")?;
    c.pragma_update(None, "synchronous", "NORMAL")?;
    c.pragma_update(None, "foreign_keys", "ON")?;
    // Unicode-aware lower case for searching justifications (SQLite's lower() is ASCII-only).
    c.create_scalar_function(
        "dg_lower",
        1,
        FunctionFlags::SQLITE_UTF8 | FunctionFlags::SQLITE_DETERMINISTIC,
        |ctx| {
            let s: Option<String> = ctx.get(0)?;
            Ok(s.map(|s| s.to_lowercase()))
        },
    )?;
    Ok(c)
}

impl SqliteStore {
    /// Opens (creating if needed) the database file and applies missing migrations.
    pub fn open(path: impl AsRef<Path>) -> Result<SqliteStore> {
        let path = path.as_ref().to_path_buf();
        let mut writer = connect(&path)?;
        migrate(&mut writer)?;
        let readers = (0..READERS)
            .map(|_| connect(&path).map(Mutex::new))
            .collect::<Result<Vec<_>>>()?;
        Ok(SqliteStore {
            path,
            writer: Arc::new(Mutex::new(writer)),
            readers: Arc::new(readers),
            next: Arc::new(AtomicUsize::new(0)),
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    async fn write<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let w = self.writer.clone();
        tokio::task::spawn_blocking(move || {
            let mut c = w.lock().unwrap_or_else(|p| p.into_inner());
            f(&mut c)
        })
        .await
        .map_err(|e| Error::internal(format!("a database task failed: {e}")))?
    }

    async fn read<T: Send + 'static>(
        &self,
        f: impl FnOnce(&Connection) -> Result<T> + Send + 'static,
    ) -> Result<T> {
        let readers = self.readers.clone();
        let i = self.next.fetch_add(1, Ordering::Relaxed) % readers.len();
        tokio::task::spawn_blocking(move || {
            let c = readers[i].lock().unwrap_or_else(|p| p.into_inner());
            f(&c)
        })
        .await
        .map_err(|e| Error::internal(format!("a database task failed: {e}")))?
    }
}

fn migrate(c: &mut Connection) -> Result<()> {
    c.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, applied_ms INTEGER NOT NULL)",
    )?;
    let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    for (version, sql) in migrations::SQLITE {
        let done: Option<i64> = tx
            .query_row(
                "SELECT version FROM schema_migrations WHERE version = ?",
                [version],
                |r| r.get(0),
            )
            .optional()?;
        if done.is_none() {
            tx.execute_batch(sql)
                .map_err(|e| Error::db(format!("migration {version}: {e}")))?;
            tx.execute(
                "INSERT INTO schema_migrations (version, applied_ms) VALUES (?, ?)",
                params![version, crate::time::now_ms()],
            )?;
        }
    }
    tx.commit()?;
    Ok(())
}

fn bundle_row(r: &Row<'_>) -> rusqlite::Result<BundleRow> {
    Ok(BundleRow {
        id: r.get(0)?,
        policy_id: r.get(1)?,
        version: r.get(2)?,
        text: r.get(3)?,
        etag: r.get(4)?,
        content_digest: r.get(5)?,
        issued_at: r.get(6)?,
        expires_at: r.get(7)?,
        signed_by: r.get(8)?,
        uploaded_by: r.get(9)?,
        uploaded_ms: r.get(10)?,
    })
}

fn token_row(r: &Row<'_>) -> rusqlite::Result<TokenRow> {
    let scope: String = r.get(2)?;
    Ok(TokenRow {
        id: r.get(0)?,
        name: r.get(1)?,
        scope: Scope::parse(&scope).unwrap_or(Scope::Enroll),
        created_ms: r.get(3)?,
        revoked_ms: r.get(4)?,
    })
}

fn stored_row(r: &Row<'_>) -> rusqlite::Result<Stored> {
    let rules: String = r.get(7)?;
    let kind: String = r.get(6)?;
    Ok(Stored {
        seq: r.get(0)?,
        received_ms: r.get(1)?,
        token: r.get(2)?,
        extension_id: r.get(3)?,
        event: Event {
            id: r.get(4)?,
            time_ms: r.get(5)?,
            kind: Kind::parse(&kind).unwrap_or(Kind::Status),
            rules: serde_json::from_str(&rules).unwrap_or_default(),
            severity: r.get(8)?,
            policy_id: r.get(9)?,
            policy_version: r.get(10)?,
            platform: r.get(11)?,
            site: r.get(12)?,
            extension_version: r.get(13)?,
            install_id: r.get(14)?,
            ring: r.get(15)?,
            user_hint: r.get(16)?,
            justification: r.get(17)?,
            reason: r.get(18)?,
            refusal_code: r.get(19)?,
            refusal_message: r.get(20)?,
            browser_name: r.get(21)?,
            browser_version: r.get(22)?,
            entry: r.get(23)?,
            action: r.get(24)?,
        },
    })
}

fn ring_rows(c: &Connection, ring: Option<&str>) -> Result<Vec<RingRow>> {
    let cols = sql::BUNDLE_COLUMNS
        .split(", ")
        .map(|col| format!("b.{}", col.trim()))
        .collect::<Vec<_>>()
        .join(", ");
    let q = format!(
        "SELECT {cols}, r.ring, r.updated_ms, r.updated_by FROM rings r JOIN bundles b ON b.id = r.bundle_id \
         WHERE (?1 IS NULL OR r.ring = ?1) ORDER BY r.ring"
    );
    let mut st = c.prepare_cached(&q)?;
    let rows = st
        .query_map([ring], |r| {
            Ok(RingRow {
                bundle: bundle_row(r)?,
                ring: r.get(11)?,
                updated_ms: r.get(12)?,
                updated_by: r.get(13)?,
            })
        })?
        .collect::<rusqlite::Result<Vec<_>>>()?;
    Ok(rows)
}

fn log_tx(c: &Connection, actor: &str, action: &str, detail: &str, now_ms: i64) -> Result<()> {
    c.execute(
        "INSERT INTO activity (time_ms, actor, action, detail) VALUES (?, ?, ?, ?)",
        params![now_ms, actor, action, detail],
    )?;
    Ok(())
}

impl Store for SqliteStore {
    fn backend(&self) -> &'static str {
        "sqlite"
    }

    async fn schema_versions(&self) -> Result<Vec<i64>> {
        self.read(|c| {
            let mut st = c.prepare("SELECT version FROM schema_migrations ORDER BY version")?;
            let v = st
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<i64>>>()?;
            Ok(v)
        })
        .await
    }

    async fn bundle_insert(&self, b: NewBundle) -> Result<BundleRow> {
        self.write(move |c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let q = format!(
                "SELECT {} FROM bundles WHERE policy_id = ? AND version = ?",
                sql::BUNDLE_COLUMNS
            );
            let existing = tx
                .query_row(&q, params![b.policy_id, b.version], bundle_row)
                .optional()?;
            if let Some(e) = existing {
                return if e.text == b.text {
                    Ok(e)
                } else {
                    Err(conflict_same_version(&b.policy_id, &b.version))
                };
            }
            tx.execute(
                "INSERT INTO bundles (policy_id, version, text, etag, content_digest, issued_at, expires_at, signed_by, uploaded_by, uploaded_ms) \
                 VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                params![b.policy_id, b.version, b.text, b.etag, b.content_digest, b.issued_at, b.expires_at, b.signed_by, b.uploaded_by, b.uploaded_ms],
            )?;
            let id = tx.last_insert_rowid();
            log_tx(
                &tx,
                &b.uploaded_by,
                "bundle-upload",
                &format!("{} {} (signed by {})", b.policy_id, b.version, b.signed_by),
                b.uploaded_ms,
            )?;
            let row = tx.query_row(
                &format!("SELECT {} FROM bundles WHERE id = ?", sql::BUNDLE_COLUMNS),
                [id],
                bundle_row,
            )?;
            tx.commit()?;
            Ok(row)
        })
        .await
    }

    async fn bundles(&self) -> Result<Vec<BundleRow>> {
        self.read(|c| {
            let mut st = c.prepare_cached(&format!(
                "SELECT {} FROM bundles ORDER BY uploaded_ms, id",
                sql::BUNDLE_COLUMNS
            ))?;
            let v = st
                .query_map([], bundle_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(v)
        })
        .await
    }

    async fn bundle(&self, id: i64) -> Result<Option<BundleRow>> {
        self.read(move |c| {
            Ok(c.query_row(
                &format!("SELECT {} FROM bundles WHERE id = ?", sql::BUNDLE_COLUMNS),
                [id],
                bundle_row,
            )
            .optional()?)
        })
        .await
    }

    async fn ring(&self, ring: &str) -> Result<Option<RingRow>> {
        let ring = ring.to_string();
        self.read(move |c| Ok(ring_rows(c, Some(&ring))?.pop()))
            .await
    }

    async fn rings(&self) -> Result<Vec<RingRow>> {
        self.read(|c| ring_rows(c, None)).await
    }

    async fn ring_assign(&self, ch: RingChange) -> Result<()> {
        self.write(move |c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let current: Option<i64> = tx
                .query_row(
                    "SELECT bundle_id FROM rings WHERE ring = ?",
                    [&ch.ring],
                    |r| r.get(0),
                )
                .optional()?;
            if current != ch.expected {
                return Err(ring_moved(&ch.ring));
            }
            tx.execute(
                "INSERT INTO rings (ring, bundle_id, updated_ms, updated_by) VALUES (?, ?, ?, ?) \
                 ON CONFLICT (ring) DO UPDATE SET bundle_id = excluded.bundle_id, updated_ms = excluded.updated_ms, updated_by = excluded.updated_by",
                params![ch.ring, ch.bundle_id, ch.now_ms, ch.actor],
            )?;
            log_tx(&tx, &ch.actor, &ch.action, &ch.detail, ch.now_ms)?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    async fn log(&self, actor: &str, action: &str, detail: &str, now_ms: i64) -> Result<()> {
        let (a, b, d) = (actor.to_string(), action.to_string(), detail.to_string());
        self.write(move |c| log_tx(c, &a, &b, &d, now_ms)).await
    }

    async fn activity(&self, limit: i64) -> Result<Vec<Activity>> {
        self.read(move |c| {
            let mut st = c.prepare_cached(
                "SELECT id, time_ms, actor, action, detail FROM activity ORDER BY id DESC LIMIT ?",
            )?;
            let v = st
                .query_map([limit], |r| {
                    Ok(Activity {
                        id: r.get(0)?,
                        time_ms: r.get(1)?,
                        actor: r.get(2)?,
                        action: r.get(3)?,
                        detail: r.get(4)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(v)
        })
        .await
    }

    async fn token_create(
        &self,
        name: &str,
        scope: Scope,
        digest: &str,
        now_ms: i64,
    ) -> Result<TokenRow> {
        let (name, digest) = (name.to_string(), digest.to_string());
        self.write(move |c| {
            let n = c.execute(
                "INSERT INTO tokens (name, scope, digest, created_ms) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING",
                params![name, scope.name(), digest, now_ms],
            )?;
            if n == 0 {
                return Err(token_exists(&name));
            }
            Ok(c.query_row(
                "SELECT id, name, scope, created_ms, revoked_ms FROM tokens WHERE name = ?",
                [&name],
                token_row,
            )?)
        })
        .await
    }

    async fn token_by_digest(&self, digest: &str) -> Result<Option<TokenRow>> {
        let digest = digest.to_string();
        self.read(move |c| {
            Ok(c.query_row(
                "SELECT id, name, scope, created_ms, revoked_ms FROM tokens WHERE digest = ? AND revoked_ms IS NULL",
                [&digest],
                token_row,
            )
            .optional()?)
        })
        .await
    }

    async fn tokens(&self) -> Result<Vec<TokenRow>> {
        self.read(|c| {
            let mut st = c.prepare_cached(
                "SELECT id, name, scope, created_ms, revoked_ms FROM tokens ORDER BY name",
            )?;
            let v = st
                .query_map([], token_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(v)
        })
        .await
    }

    async fn token_revoke(&self, name: &str, now_ms: i64) -> Result<bool> {
        let name = name.to_string();
        self.write(move |c| {
            Ok(c.execute(
                "UPDATE tokens SET revoked_ms = ? WHERE name = ? AND revoked_ms IS NULL",
                params![now_ms, name],
            )? > 0)
        })
        .await
    }

    async fn admin_set(&self, name: &str, password_hash: &str, now_ms: i64) -> Result<()> {
        let (name, hash) = (name.to_string(), password_hash.to_string());
        self.write(move |c| {
            c.execute(
                "INSERT INTO admins (name, password_hash, created_ms) VALUES (?, ?, ?) \
                 ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash",
                params![name, hash, now_ms],
            )?;
            // A new password ends the admin's sessions.
            c.execute("DELETE FROM sessions WHERE admin = ?", [&name])?;
            Ok(())
        })
        .await
    }

    async fn admin_password_hash(&self, name: &str) -> Result<Option<String>> {
        let name = name.to_string();
        self.read(move |c| {
            Ok(c.query_row(
                "SELECT password_hash FROM admins WHERE name = ?",
                [&name],
                |r| r.get(0),
            )
            .optional()?)
        })
        .await
    }

    async fn admins(&self) -> Result<Vec<String>> {
        self.read(|c| {
            let mut st = c.prepare_cached("SELECT name FROM admins ORDER BY name")?;
            let v = st
                .query_map([], |r| r.get(0))?
                .collect::<rusqlite::Result<Vec<String>>>()?;
            Ok(v)
        })
        .await
    }

    async fn session_create(&self, id_digest: &str, s: &Session) -> Result<()> {
        let (id, s) = (id_digest.to_string(), s.clone());
        self.write(move |c| {
            c.execute(
                "INSERT INTO sessions (id_digest, admin, csrf, expires_ms) VALUES (?, ?, ?, ?)",
                params![id, s.admin, s.csrf, s.expires_ms],
            )?;
            c.execute(
                "DELETE FROM sessions WHERE expires_ms < ?",
                [crate::time::now_ms()],
            )?;
            Ok(())
        })
        .await
    }

    async fn session(&self, id_digest: &str, now_ms: i64) -> Result<Option<Session>> {
        let id = id_digest.to_string();
        self.read(move |c| {
            Ok(c.query_row(
                "SELECT admin, csrf, expires_ms FROM sessions WHERE id_digest = ? AND expires_ms > ?",
                params![id, now_ms],
                |r| {
                    Ok(Session {
                        admin: r.get(0)?,
                        csrf: r.get(1)?,
                        expires_ms: r.get(2)?,
                    })
                },
            )
            .optional()?)
        })
        .await
    }

    async fn session_delete(&self, id_digest: &str) -> Result<()> {
        let id = id_digest.to_string();
        self.write(move |c| {
            c.execute("DELETE FROM sessions WHERE id_digest = ?", [&id])?;
            Ok(())
        })
        .await
    }

    async fn login_failures(&self, name: &str, ip: &str, since_ms: i64) -> Result<LoginFailures> {
        let (name, ip) = (name.to_string(), ip.to_string());
        self.read(move |c| {
            Ok(
                c.query_row(sql::LOGIN_FAILURES, params![name, ip, since_ms], |r| {
                    Ok(LoginFailures {
                        count: r.get(0)?,
                        oldest_ms: r.get(1)?,
                    })
                })?,
            )
        })
        .await
    }

    async fn login_failure_add(&self, name: &str, ip: &str, now_ms: i64) -> Result<()> {
        let (name, ip) = (name.to_string(), ip.to_string());
        self.write(move |c| {
            c.execute(
                "INSERT INTO login_failures (name, ip, time_ms) VALUES (?, ?, ?)",
                params![name, ip, now_ms],
            )?;
            c.execute(
                "DELETE FROM login_failures WHERE time_ms < ?",
                [now_ms - DAY_MS],
            )?;
            Ok(())
        })
        .await
    }

    async fn login_failures_clear(&self, name: &str, ip: &str) -> Result<()> {
        let (name, ip) = (name.to_string(), ip.to_string());
        self.write(move |c| {
            c.execute(
                "DELETE FROM login_failures WHERE name = ? AND ip = ?",
                params![name, ip],
            )?;
            Ok(())
        })
        .await
    }

    async fn insert_events(&self, batch: &Batch, token: &str, now_ms: i64) -> Result<Inserted> {
        let (batch, token) = (batch.clone(), token.to_string());
        self.write(move |c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            let mut accepted = 0;
            {
                let mut ins = tx.prepare_cached(
                    "INSERT INTO events (id, received_ms, token, extension_id, time_ms, kind, rules, severity, policy_id, policy_version, \
                     platform, site, extension_version, install_id, ring, user_hint, justification, reason, refusal_code, refusal_message, \
                     browser_name, browser_version, library_entry, library_action) \
                     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) \
                     ON CONFLICT (id) DO NOTHING",
                )?;
                let mut rule = tx.prepare_cached(
                    "INSERT INTO event_rules (event_id, rule, kind, time_ms, day, install_id) VALUES (?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                )?;
                let mut install = tx.prepare_cached(INSTALL_UPSERT)?;
                for e in &batch.events {
                    let n = ins.execute(params![
                        e.id, now_ms, token, batch.extension_id, e.time_ms, e.kind.name(),
                        serde_json::to_string(&e.rules).unwrap_or_default(), e.severity, e.policy_id,
                        e.policy_version, e.platform, e.site, e.extension_version, e.install_id, e.ring,
                        e.user_hint, e.justification, e.reason, e.refusal_code, e.refusal_message,
                        e.browser_name, e.browser_version, e.entry, e.action
                    ])?;
                    if n == 0 {
                        continue;
                    }
                    accepted += 1;
                    for r in &e.rules {
                        rule.execute(params![e.id, r, e.kind.name(), e.time_ms, e.time_ms.div_euclid(DAY_MS), e.install_id])?;
                    }
                    if let Some(i) = &e.install_id {
                        install.execute(params![
                            i, e.ring, e.policy_id, e.policy_version, e.extension_version,
                            e.browser_name, e.browser_version, e.time_ms
                        ])?;
                    }
                }
                if let Some((first, install)) = dropped_key(&batch) {
                    tx.prepare_cached(sql::DROPPED_INSERT)?.execute(params![
                        first, now_ms, token, install, batch.dropped as i64
                    ])?;
                }
            }
            tx.commit()?;
            Ok(Inserted {
                accepted,
                duplicates: batch.events.len() - accepted,
            })
        })
        .await
    }

    async fn delete_events_before(&self, before_ms: i64) -> Result<u64> {
        self.write(move |c| {
            let tx = c.transaction()?;
            tx.execute("DELETE FROM event_rules WHERE time_ms < ?", [before_ms])?;
            let n = tx.execute("DELETE FROM events WHERE time_ms < ?", [before_ms])?;
            tx.execute("DELETE FROM installs WHERE last_seen_ms < ?", [before_ms])?;
            tx.execute(
                "DELETE FROM dropped_reports WHERE received_ms < ?",
                [before_ms],
            )?;
            tx.commit()?;
            Ok(n as u64)
        })
        .await
    }

    async fn events_since(&self, since_ms: i64, after_seq: i64, limit: i64) -> Result<Vec<Stored>> {
        self.read(move |c| {
            let mut st = c.prepare_cached(&format!(
                "SELECT {} FROM events WHERE received_ms >= ? AND seq > ? ORDER BY seq LIMIT ?",
                sql::EVENT_COLUMNS
            ))?;
            let v = st
                .query_map(params![since_ms, after_seq, limit], stored_row)?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(v)
        })
        .await
    }

    async fn event_count(&self) -> Result<i64> {
        self.read(|c| Ok(c.query_row("SELECT COUNT(*) FROM events", [], |r| r.get(0))?))
            .await
    }

    async fn rule_days(&self, from_ms: i64, to_ms: i64) -> Result<Vec<RuleDay>> {
        self.read(move |c| {
            let mut st = c.prepare_cached(sql::RULE_DAYS)?;
            let v = st
                .query_map([from_ms, to_ms], |r| {
                    Ok(RuleDay {
                        rule: r.get(0)?,
                        day: crate::time::day_name(r.get(1)?),
                        blocked: r.get(2)?,
                        overrides: r.get(3)?,
                        monitor: r.get(4)?,
                        installs: r.get(5)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(v)
        })
        .await
    }

    async fn rule_totals(&self, from_ms: i64, to_ms: i64) -> Result<Vec<RuleTotal>> {
        self.read(move |c| {
            let mut st = c.prepare_cached(sql::RULE_TOTALS)?;
            let v = st
                .query_map([from_ms, to_ms], |r| {
                    Ok(rule_total(
                        r.get(0)?,
                        r.get(1)?,
                        r.get(2)?,
                        r.get(3)?,
                        r.get(4)?,
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(v)
        })
        .await
    }

    async fn pilot_impact(&self, since_ms: i64) -> Result<Vec<PilotImpact>> {
        self.read(move |c| {
            let mut st = c.prepare_cached(sql::PILOT)?;
            let v = st
                .query_map([since_ms], |r| {
                    Ok(PilotImpact {
                        rule: r.get(0)?,
                        posts: r.get(1)?,
                        installs: r.get(2)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(v)
        })
        .await
    }

    async fn justifications(
        &self,
        rule: Option<&str>,
        search: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Justification>> {
        let rule = rule.map(str::to_string);
        let pattern = search.filter(|s| !s.is_empty()).map(like_pattern);
        self.read(move |c| {
            let mut q = String::from(
                "SELECT e.id, e.time_ms, e.rules, e.justification, e.platform, e.site, e.install_id, e.user_hint \
                 FROM events e WHERE e.kind = 'override'",
            );
            let mut args: Vec<rusqlite::types::Value> = Vec::new();
            if let Some(r) = rule {
                q.push_str(" AND EXISTS (SELECT 1 FROM event_rules r WHERE r.event_id = e.id AND r.rule = ?)");
                args.push(r.into());
            }
            if let Some(p) = pattern {
                q.push_str(" AND dg_lower(e.justification) LIKE ? ESCAPE '\\'");
                args.push(p.into());
            }
            q.push_str(" ORDER BY e.time_ms DESC, e.seq DESC LIMIT ?");
            args.push(limit.into());
            let mut st = c.prepare(&q)?;
            let v = st
                .query_map(rusqlite::params_from_iter(args), |r| {
                    let rules: String = r.get(2)?;
                    Ok(Justification {
                        event_id: r.get(0)?,
                        time_ms: r.get(1)?,
                        rules: serde_json::from_str(&rules).unwrap_or_default(),
                        justification: r.get::<_, Option<String>>(3)?.unwrap_or_default(),
                        platform: r.get(4)?,
                        site: r.get(5)?,
                        install_id: r.get(6)?,
                        user_hint: r.get(7)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(v)
        })
        .await
    }

    async fn fleet(&self, since_ms: i64) -> Result<Vec<FleetRow>> {
        self.read(move |c| {
            let mut st = c.prepare_cached(sql::FLEET)?;
            let v = st
                .query_map([since_ms], |r| {
                    Ok(FleetRow {
                        ring: r.get(0)?,
                        policy_id: r.get(1)?,
                        policy_version: r.get(2)?,
                        installs: r.get(3)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(v)
        })
        .await
    }

    async fn fleet_browsers(&self, since_ms: i64) -> Result<Vec<BrowserRow>> {
        self.read(move |c| {
            let mut st = c.prepare_cached(sql::BROWSERS)?;
            let v = st
                .query_map([since_ms], |r| {
                    Ok(BrowserRow {
                        browser: r.get(0)?,
                        browser_version: r.get(1)?,
                        extension_version: r.get(2)?,
                        installs: r.get(3)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(v)
        })
        .await
    }

    async fn refusals(&self, since_ms: i64) -> Result<Vec<RefusalRow>> {
        self.read(move |c| {
            let mut st = c.prepare_cached(sql::REFUSALS)?;
            let v = st
                .query_map([since_ms], |r| {
                    Ok(RefusalRow {
                        code: r.get(0)?,
                        events: r.get(1)?,
                        installs: r.get(2)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(v)
        })
        .await
    }

    async fn dropped(&self, since_ms: i64) -> Result<Vec<DroppedRow>> {
        self.read(move |c| {
            let mut st = c.prepare_cached(sql::DROPPED)?;
            let v = st
                .query_map([since_ms], |r| {
                    Ok(DroppedRow {
                        ring: r.get(0)?,
                        dropped: r.get(1)?,
                        installs: r.get(2)?,
                        batches: r.get(3)?,
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(v)
        })
        .await
    }

    async fn platforms(&self, since_ms: i64) -> Result<Vec<PlatformRow>> {
        let mut rows = self
            .read(move |c| {
                let mut st = c.prepare_cached(sql::PLATFORMS)?;
                let v = st
                    .query_map([since_ms], |r| {
                        Ok(PlatformRow {
                            platform: r.get(0)?,
                            site: r.get(1)?,
                            blocked: r.get(2)?,
                            overrides: r.get(3)?,
                            monitor: r.get(4)?,
                            installs: r.get(5)?,
                        })
                    })?
                    .collect::<rusqlite::Result<Vec<_>>>()?;
                Ok(v)
            })
            .await?;
        sort_platforms(&mut rows);
        Ok(rows)
    }

    async fn library_usage(&self, since_ms: i64) -> Result<Vec<LibraryUse>> {
        self.read(move |c| {
            let mut st = c.prepare_cached(sql::LIBRARY)?;
            let entries = st
                .query_map([since_ms], |r| {
                    Ok(LibraryUse {
                        entry: r.get(0)?,
                        uses: r.get(1)?,
                        inserts: r.get(2)?,
                        copies: r.get(3)?,
                        installs: r.get(4)?,
                        platforms: Vec::new(),
                    })
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            let mut st = c.prepare_cached(sql::LIBRARY_PLATFORMS)?;
            let platforms = st
                .query_map([since_ms], |r| {
                    Ok((
                        r.get(0)?,
                        LibraryPlatform {
                            platform: r.get(1)?,
                            uses: r.get(2)?,
                            installs: r.get(3)?,
                        },
                    ))
                })?
                .collect::<rusqlite::Result<Vec<_>>>()?;
            Ok(library_rows(entries, platforms))
        })
        .await
    }

    async fn forward_lease(
        &self,
        owner: &str,
        now_ms: i64,
        until_ms: i64,
    ) -> Result<Option<ForwardLease>> {
        let owner = owner.to_string();
        self.write(move |c| {
            let tx = c.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
            tx.execute(
                "INSERT INTO forward_state (name, cursor, owner, lease_until_ms) VALUES ('siem', 0, NULL, 0) ON CONFLICT DO NOTHING",
                [],
            )?;
            let n = tx.execute(
                "UPDATE forward_state SET owner = ?, lease_until_ms = ? WHERE name = 'siem' AND (owner = ? OR owner IS NULL OR lease_until_ms < ?)",
                params![owner, until_ms, owner, now_ms],
            )?;
            let lease = if n == 1 {
                Some(ForwardLease {
                    cursor: tx.query_row(
                        "SELECT cursor FROM forward_state WHERE name = 'siem'",
                        [],
                        |r| r.get(0),
                    )?,
                })
            } else {
                None
            };
            tx.commit()?;
            Ok(lease)
        })
        .await
    }

    async fn forward_advance(&self, owner: &str, cursor: i64) -> Result<bool> {
        let owner = owner.to_string();
        self.write(move |c| {
            Ok(c.execute(
                "UPDATE forward_state SET cursor = ? WHERE name = 'siem' AND owner = ? AND cursor < ?",
                params![cursor, owner, cursor],
            )? == 1)
        })
        .await
    }
}

pub(crate) const INSTALL_UPSERT: &str = "INSERT INTO installs (install_id, ring, policy_id, policy_version, extension_version, browser_name, browser_version, last_seen_ms) \
     VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (install_id) DO UPDATE SET \
     ring = COALESCE(excluded.ring, installs.ring), \
     policy_id = COALESCE(excluded.policy_id, installs.policy_id), \
     policy_version = COALESCE(excluded.policy_version, installs.policy_version), \
     extension_version = excluded.extension_version, \
     browser_name = COALESCE(excluded.browser_name, installs.browser_name), \
     browser_version = COALESCE(excluded.browser_version, installs.browser_version), \
     last_seen_ms = excluded.last_seen_ms \
     WHERE excluded.last_seen_ms >= installs.last_seen_ms";

/// Where a batch's `dropped` is stored: its first event's id (a retried batch starts with
/// the same event, so it counts once) and the install that sent it. None without drops.
pub(crate) fn dropped_key(batch: &Batch) -> Option<(String, Option<String>)> {
    if batch.dropped == 0 {
        return None;
    }
    let first = batch.events.first()?;
    let install = batch.events.iter().find_map(|e| e.install_id.clone());
    Some((first.id.clone(), install))
}

pub(crate) fn sort_platforms(rows: &mut [PlatformRow]) {
    rows.sort_by(|a, b| {
        (b.blocked + b.overrides + b.monitor)
            .cmp(&(a.blocked + a.overrides + a.monitor))
            .then_with(|| a.platform.cmp(&b.platform))
            .then_with(|| a.site.cmp(&b.site))
    });
}

pub(crate) fn conflict_same_version(policy: &str, version: &str) -> Error {
    Error::conflict(format!(
        "{policy} version {version} is already stored with other content; a version number names one policy: sign the new one with a higher version (`draftguard bundle --version`)"
    ))
}

pub(crate) fn ring_moved(ring: &str) -> Error {
    Error::conflict(format!(
        "ring `{ring}` changed while this was being decided (another admin or console instance); look again and retry"
    ))
}

pub(crate) fn token_exists(name: &str) -> Error {
    Error::conflict(format!(
        "a token named `{name}` already exists; revoke it or choose another name"
    ))
}
