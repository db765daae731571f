//! PostgreSQL: a connection pool (deadpool), every method one transaction. Several console
//! instances can share one database: intake is `INSERT ... ON CONFLICT DO NOTHING` on the
//! event id, ring changes are compare-and-set, sessions live in the database, and the
//! forwarder holds a lease.

use deadpool_postgres::{Manager, ManagerConfig, Pool, RecyclingMethod};
use tokio_postgres::{NoTls, Row};

use super::sqlite::{
    INSTALL_UPSERT, conflict_same_version, dropped_key, ring_moved, sort_platforms, token_exists,
};
use super::*;
use crate::error::Error;
use crate::event::{Event, Kind};
use crate::time::DAY_MS;

#[derive(Clone)]
pub struct PgStore {
    pool: Pool,
}

impl PgStore {
    /// Connects to `url` (`postgres://user@host:port/db`) and applies missing migrations.
    pub async fn open(url: &str, pool_size: usize) -> Result<PgStore> {
        let config: tokio_postgres::Config = url
            .parse()
            .map_err(|e| Error::invalid(format!("--database {url}: {e}")))?;
        let mgr = Manager::from_config(
            config,
            NoTls,
            ManagerConfig {
                recycling_method: RecyclingMethod::Fast,
            },
        );
        let pool = Pool::builder(mgr)
            .max_size(pool_size)
            .build()
            .map_err(|e| Error::db(format!("pool: {e}")))?;
        let store = PgStore { pool };
        store.migrate().await?;
        Ok(store)
    }

    async fn migrate(&self) -> Result<()> {
        let mut c = self.pool.get().await?;
        let tx = c.transaction().await?;
        // One migrator at a time across instances (the key is arbitrary but fixed).
        tx.execute("SELECT pg_advisory_xact_lock(7253120412)", &[])
            .await?;
        tx.batch_execute(
            "CREATE TABLE IF NOT EXISTS schema_migrations (version BIGINT PRIMARY KEY, applied_ms BIGINT NOT NULL)",
        )
        .await?;
        for (version, sql) in migrations::POSTGRES {
            let done = tx
                .query_opt(
                    "SELECT version FROM schema_migrations WHERE version = $1",
                    &[version],
                )
                .await?;
            if done.is_none() {
                tx.batch_execute(sql).await.map_err(|e| {
                    let e = Error::from(e);
                    Error::db(format!("migration {version}: {}", e.message))
                })?;
                tx.execute(
                    "INSERT INTO schema_migrations (version, applied_ms) VALUES ($1, $2)",
                    &[version, &crate::time::now_ms()],
                )
                .await?;
            }
        }
        tx.commit().await?;
        Ok(())
    }

    async fn rows(
        &self,
        sql: &str,
        args: &[&(dyn tokio_postgres::types::ToSql + Sync)],
    ) -> Result<Vec<Row>> {
        let c = self.pool.get().await?;
        let st = c.prepare_cached(&pg_sql(sql)).await?;
        Ok(c.query(&st, args).await?)
    }
}

fn bundle_row(r: &Row, at: usize) -> BundleRow {
    BundleRow {
        id: r.get(at),
        policy_id: r.get(at + 1),
        version: r.get(at + 2),
        text: r.get(at + 3),
        etag: r.get(at + 4),
        content_digest: r.get(at + 5),
        issued_at: r.get(at + 6),
        expires_at: r.get(at + 7),
        signed_by: r.get(at + 8),
        uploaded_by: r.get(at + 9),
        uploaded_ms: r.get(at + 10),
    }
}

fn token_row(r: &Row) -> TokenRow {
    let scope: String = r.get(2);
    TokenRow {
        id: r.get(0),
        name: r.get(1),
        scope: Scope::parse(&scope).unwrap_or(Scope::Enroll),
        created_ms: r.get(3),
        revoked_ms: r.get(4),
    }
}

fn stored_row(r: &Row) -> Stored {
    let rules: String = r.get(7);
    let kind: String = r.get(6);
    Stored {
        seq: r.get(0),
        received_ms: r.get(1),
        token: r.get(2),
        extension_id: r.get(3),
        event: Event {
            id: r.get(4),
            time_ms: r.get(5),
            kind: Kind::parse(&kind).unwrap_or(Kind::Status),
            rules: serde_json::from_str(&rules).unwrap_or_default(),
            severity: r.get(8),
            policy_id: r.get(9),
            policy_version: r.get(10),
            platform: r.get(11),
            site: r.get(12),
            extension_version: r.get(13),
            install_id: r.get(14),
            ring: r.get(15),
            user_hint: r.get(16),
            justification: r.get(17),
            reason: r.get(18),
            refusal_code: r.get(19),
            refusal_message: r.get(20),
            browser_name: r.get(21),
            browser_version: r.get(22),
            entry: r.get(23),
            action: r.get(24),
        },
    }
}

fn ring_sql(one: bool) -> String {
    let cols = sql::BUNDLE_COLUMNS
        .split(", ")
        .map(|col| format!("b.{}", col.trim()))
        .collect::<Vec<_>>()
        .join(", ");
    format!(
        "SELECT {cols}, r.ring, r.updated_ms, r.updated_by FROM rings r JOIN bundles b ON b.id = r.bundle_id {} ORDER BY r.ring",
        if one { "WHERE r.ring = $1" } else { "" }
    )
}

fn ring_row(r: &Row) -> RingRow {
    RingRow {
        bundle: bundle_row(r, 0),
        ring: r.get(11),
        updated_ms: r.get(12),
        updated_by: r.get(13),
    }
}

impl Store for PgStore {
    fn backend(&self) -> &'static str {
        "postgres"
    }

    async fn schema_versions(&self) -> Result<Vec<i64>> {
        let rows = self
            .rows(
                "SELECT version FROM schema_migrations ORDER BY version",
                &[],
            )
            .await?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    async fn bundle_insert(&self, b: NewBundle) -> Result<BundleRow> {
        let mut c = self.pool.get().await?;
        let tx = c.transaction().await?;
        let inserted = tx
            .query_opt(
                &format!(
                    "INSERT INTO bundles (policy_id, version, text, etag, content_digest, issued_at, expires_at, signed_by, uploaded_by, uploaded_ms) \
                     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (policy_id, version) DO NOTHING RETURNING {}",
                    sql::BUNDLE_COLUMNS
                ),
                &[&b.policy_id, &b.version, &b.text, &b.etag, &b.content_digest, &b.issued_at, &b.expires_at, &b.signed_by, &b.uploaded_by, &b.uploaded_ms],
            )
            .await?;
        let row = match inserted {
            Some(r) => {
                tx.execute(
                    "INSERT INTO activity (time_ms, actor, action, detail) VALUES ($1, $2, 'bundle-upload', $3)",
                    &[&b.uploaded_ms, &b.uploaded_by, &format!("{} {} (signed by {})", b.policy_id, b.version, b.signed_by)],
                )
                .await?;
                bundle_row(&r, 0)
            }
            None => {
                let r = tx
                    .query_one(
                        &format!(
                            "SELECT {} FROM bundles WHERE policy_id = $1 AND version = $2",
                            sql::BUNDLE_COLUMNS
                        ),
                        &[&b.policy_id, &b.version],
                    )
                    .await?;
                let e = bundle_row(&r, 0);
                if e.text != b.text {
                    return Err(conflict_same_version(&b.policy_id, &b.version));
                }
                e
            }
        };
        tx.commit().await?;
        Ok(row)
    }

    async fn bundles(&self) -> Result<Vec<BundleRow>> {
        let rows = self
            .rows(
                &format!(
                    "SELECT {} FROM bundles ORDER BY uploaded_ms, id",
                    sql::BUNDLE_COLUMNS
                ),
                &[],
            )
            .await?;
        Ok(rows.iter().map(|r| bundle_row(r, 0)).collect())
    }

    async fn bundle(&self, id: i64) -> Result<Option<BundleRow>> {
        let rows = self
            .rows(
                &format!("SELECT {} FROM bundles WHERE id = ?", sql::BUNDLE_COLUMNS),
                &[&id],
            )
            .await?;
        Ok(rows.first().map(|r| bundle_row(r, 0)))
    }

    async fn ring(&self, ring: &str) -> Result<Option<RingRow>> {
        let c = self.pool.get().await?;
        let st = c.prepare_cached(&ring_sql(true)).await?;
        Ok(c.query_opt(&st, &[&ring]).await?.map(|r| ring_row(&r)))
    }

    async fn rings(&self) -> Result<Vec<RingRow>> {
        let c = self.pool.get().await?;
        let st = c.prepare_cached(&ring_sql(false)).await?;
        Ok(c.query(&st, &[]).await?.iter().map(ring_row).collect())
    }

    async fn ring_assign(&self, ch: RingChange) -> Result<()> {
        let mut c = self.pool.get().await?;
        let tx = c.transaction().await?;
        // Lock the ring's row (or, for a new ring, the insert's unique key) for the check.
        let current: Option<i64> = tx
            .query_opt(
                "SELECT bundle_id FROM rings WHERE ring = $1 FOR UPDATE",
                &[&ch.ring],
            )
            .await?
            .map(|r| r.get(0));
        if current != ch.expected {
            return Err(ring_moved(&ch.ring));
        }
        let n = match current {
            Some(_) => {
                tx.execute(
                    "UPDATE rings SET bundle_id = $2, updated_ms = $3, updated_by = $4 WHERE ring = $1",
                    &[&ch.ring, &ch.bundle_id, &ch.now_ms, &ch.actor],
                )
                .await?
            }
            None => {
                tx.execute(
                    "INSERT INTO rings (ring, bundle_id, updated_ms, updated_by) VALUES ($1, $2, $3, $4) ON CONFLICT (ring) DO NOTHING",
                    &[&ch.ring, &ch.bundle_id, &ch.now_ms, &ch.actor],
                )
                .await?
            }
        };
        if n != 1 {
            return Err(ring_moved(&ch.ring));
        }
        tx.execute(
            "INSERT INTO activity (time_ms, actor, action, detail) VALUES ($1, $2, $3, $4)",
            &[&ch.now_ms, &ch.actor, &ch.action, &ch.detail],
        )
        .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn log(&self, actor: &str, action: &str, detail: &str, now_ms: i64) -> Result<()> {
        self.rows(
            "INSERT INTO activity (time_ms, actor, action, detail) VALUES (?, ?, ?, ?)",
            &[&now_ms, &actor, &action, &detail],
        )
        .await?;
        Ok(())
    }

    async fn activity(&self, limit: i64) -> Result<Vec<Activity>> {
        let rows = self
            .rows(
                "SELECT id, time_ms, actor, action, detail FROM activity ORDER BY id DESC LIMIT ?",
                &[&limit],
            )
            .await?;
        Ok(rows
            .iter()
            .map(|r| Activity {
                id: r.get(0),
                time_ms: r.get(1),
                actor: r.get(2),
                action: r.get(3),
                detail: r.get(4),
            })
            .collect())
    }

    async fn token_create(
        &self,
        name: &str,
        scope: Scope,
        digest: &str,
        now_ms: i64,
    ) -> Result<TokenRow> {
        let rows = self
            .rows(
                "INSERT INTO tokens (name, scope, digest, created_ms) VALUES (?, ?, ?, ?) ON CONFLICT DO NOTHING \
                 RETURNING id, name, scope, created_ms, revoked_ms",
                &[&name, &scope.name(), &digest, &now_ms],
            )
            .await?;
        rows.first()
            .map(token_row)
            .ok_or_else(|| token_exists(name))
    }

    async fn token_by_digest(&self, digest: &str) -> Result<Option<TokenRow>> {
        let rows = self
            .rows(
                "SELECT id, name, scope, created_ms, revoked_ms FROM tokens WHERE digest = ? AND revoked_ms IS NULL",
                &[&digest],
            )
            .await?;
        Ok(rows.first().map(token_row))
    }

    async fn tokens(&self) -> Result<Vec<TokenRow>> {
        let rows = self
            .rows(
                "SELECT id, name, scope, created_ms, revoked_ms FROM tokens ORDER BY name",
                &[],
            )
            .await?;
        Ok(rows.iter().map(token_row).collect())
    }

    async fn token_revoke(&self, name: &str, now_ms: i64) -> Result<bool> {
        let rows = self
            .rows(
                "UPDATE tokens SET revoked_ms = ? WHERE name = ? AND revoked_ms IS NULL RETURNING id",
                &[&now_ms, &name],
            )
            .await?;
        Ok(!rows.is_empty())
    }

    async fn admin_set(&self, name: &str, password_hash: &str, now_ms: i64) -> Result<()> {
        let mut c = self.pool.get().await?;
        let tx = c.transaction().await?;
        tx.execute(
            "INSERT INTO admins (name, password_hash, created_ms) VALUES ($1, $2, $3) \
             ON CONFLICT (name) DO UPDATE SET password_hash = excluded.password_hash",
            &[&name, &password_hash, &now_ms],
        )
        .await?;
        tx.execute("DELETE FROM sessions WHERE admin = $1", &[&name])
            .await?;
        tx.commit().await?;
        Ok(())
    }

    async fn admin_password_hash(&self, name: &str) -> Result<Option<String>> {
        let rows = self
            .rows("SELECT password_hash FROM admins WHERE name = ?", &[&name])
            .await?;
        Ok(rows.first().map(|r| r.get(0)))
    }

    async fn admins(&self) -> Result<Vec<String>> {
        let rows = self
            .rows("SELECT name FROM admins ORDER BY name", &[])
            .await?;
        Ok(rows.iter().map(|r| r.get(0)).collect())
    }

    async fn session_create(&self, id_digest: &str, s: &Session) -> Result<()> {
        self.rows(
            "INSERT INTO sessions (id_digest, admin, csrf, expires_ms) VALUES (?, ?, ?, ?)",
            &[&id_digest, &s.admin, &s.csrf, &s.expires_ms],
        )
        .await?;
        self.rows(
            "DELETE FROM sessions WHERE expires_ms < ?",
            &[&crate::time::now_ms()],
        )
        .await?;
        Ok(())
    }

    async fn session(&self, id_digest: &str, now_ms: i64) -> Result<Option<Session>> {
        let rows = self
            .rows(
                "SELECT admin, csrf, expires_ms FROM sessions WHERE id_digest = ? AND expires_ms > ?",
                &[&id_digest, &now_ms],
            )
            .await?;
        Ok(rows.first().map(|r| Session {
            admin: r.get(0),
            csrf: r.get(1),
            expires_ms: r.get(2),
        }))
    }

    async fn session_delete(&self, id_digest: &str) -> Result<()> {
        self.rows("DELETE FROM sessions WHERE id_digest = ?", &[&id_digest])
            .await?;
        Ok(())
    }

    async fn insert_events(&self, batch: &Batch, token: &str, now_ms: i64) -> Result<Inserted> {
        let mut c = self.pool.get().await?;
        let ins = c
            .prepare_cached(
                "INSERT INTO events (id, received_ms, token, extension_id, time_ms, kind, rules, severity, policy_id, policy_version, \
                 platform, site, extension_version, install_id, ring, user_hint, justification, reason, refusal_code, refusal_message, \
                 browser_name, browser_version, library_entry, library_action) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21, $22, $23, $24) \
                 ON CONFLICT (id) DO NOTHING",
            )
            .await?;
        let rule = c
            .prepare_cached(
                "INSERT INTO event_rules (event_id, rule, kind, time_ms, day, install_id) VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT DO NOTHING",
            )
            .await?;
        let install = c.prepare_cached(&pg_sql(INSTALL_UPSERT)).await?;
        let tx = c.transaction().await?;
        let mut accepted = 0;
        // Installs in a fixed order, so two instances upserting the same installs cannot deadlock.
        let mut installs: Vec<&Event> = Vec::new();
        // Events in id order too: two instances taking the same retried batch wait for each
        // other on the unique index in the same order, never in a cycle.
        let mut events: Vec<&Event> = batch.events.iter().collect();
        events.sort_by(|a, b| a.id.cmp(&b.id));
        for e in events {
            let rules = serde_json::to_string(&e.rules).unwrap_or_default();
            let n = tx
                .execute(
                    &ins,
                    &[
                        &e.id,
                        &now_ms,
                        &token,
                        &batch.extension_id,
                        &e.time_ms,
                        &e.kind.name(),
                        &rules,
                        &e.severity,
                        &e.policy_id,
                        &e.policy_version,
                        &e.platform,
                        &e.site,
                        &e.extension_version,
                        &e.install_id,
                        &e.ring,
                        &e.user_hint,
                        &e.justification,
                        &e.reason,
                        &e.refusal_code,
                        &e.refusal_message,
                        &e.browser_name,
                        &e.browser_version,
                        &e.entry,
                        &e.action,
                    ],
                )
                .await?;
            if n == 0 {
                continue;
            }
            accepted += 1;
            let day = e.time_ms.div_euclid(DAY_MS);
            for r in &e.rules {
                tx.execute(
                    &rule,
                    &[&e.id, r, &e.kind.name(), &e.time_ms, &day, &e.install_id],
                )
                .await?;
            }
            if e.install_id.is_some() {
                installs.push(e);
            }
        }
        installs.sort_by(|a, b| {
            a.install_id
                .cmp(&b.install_id)
                .then(a.time_ms.cmp(&b.time_ms))
        });
        for e in installs {
            tx.execute(
                &install,
                &[
                    &e.install_id,
                    &e.ring,
                    &e.policy_id,
                    &e.policy_version,
                    &e.extension_version,
                    &e.browser_name,
                    &e.browser_version,
                    &e.time_ms,
                ],
            )
            .await?;
        }
        if let Some((first, install)) = dropped_key(batch) {
            tx.execute(
                &pg_sql(sql::DROPPED_INSERT),
                &[&first, &now_ms, &token, &install, &(batch.dropped as i64)],
            )
            .await?;
        }
        tx.commit().await?;
        Ok(Inserted {
            accepted,
            duplicates: batch.events.len() - accepted,
        })
    }

    async fn delete_events_before(&self, before_ms: i64) -> Result<u64> {
        let mut c = self.pool.get().await?;
        let tx = c.transaction().await?;
        tx.execute("DELETE FROM event_rules WHERE time_ms < $1", &[&before_ms])
            .await?;
        let n = tx
            .execute("DELETE FROM events WHERE time_ms < $1", &[&before_ms])
            .await?;
        tx.execute(
            "DELETE FROM installs WHERE last_seen_ms < $1",
            &[&before_ms],
        )
        .await?;
        tx.execute(
            "DELETE FROM dropped_reports WHERE received_ms < $1",
            &[&before_ms],
        )
        .await?;
        tx.commit().await?;
        Ok(n)
    }

    async fn events_since(&self, since_ms: i64, after_seq: i64, limit: i64) -> Result<Vec<Stored>> {
        let rows = self
            .rows(
                &format!(
                    "SELECT {} FROM events WHERE received_ms >= ? AND seq > ? ORDER BY seq LIMIT ?",
                    sql::EVENT_COLUMNS
                ),
                &[&since_ms, &after_seq, &limit],
            )
            .await?;
        Ok(rows.iter().map(stored_row).collect())
    }

    async fn event_count(&self) -> Result<i64> {
        let rows = self.rows("SELECT COUNT(*) FROM events", &[]).await?;
        Ok(rows[0].get(0))
    }

    async fn rule_days(&self, from_ms: i64, to_ms: i64) -> Result<Vec<RuleDay>> {
        let rows = self.rows(sql::RULE_DAYS, &[&from_ms, &to_ms]).await?;
        Ok(rows
            .iter()
            .map(|r| RuleDay {
                rule: r.get(0),
                day: crate::time::day_name(r.get(1)),
                blocked: r.get(2),
                overrides: r.get(3),
                monitor: r.get(4),
                installs: r.get(5),
            })
            .collect())
    }

    async fn rule_totals(&self, from_ms: i64, to_ms: i64) -> Result<Vec<RuleTotal>> {
        let rows = self.rows(sql::RULE_TOTALS, &[&from_ms, &to_ms]).await?;
        Ok(rows
            .iter()
            .map(|r| rule_total(r.get(0), r.get(1), r.get(2), r.get(3), r.get(4)))
            .collect())
    }

    async fn pilot_impact(&self, since_ms: i64) -> Result<Vec<PilotImpact>> {
        let rows = self.rows(sql::PILOT, &[&since_ms]).await?;
        Ok(rows
            .iter()
            .map(|r| PilotImpact {
                rule: r.get(0),
                posts: r.get(1),
                installs: r.get(2),
            })
            .collect())
    }

    async fn justifications(
        &self,
        rule: Option<&str>,
        search: Option<&str>,
        limit: i64,
    ) -> Result<Vec<Justification>> {
        let pattern = search.filter(|s| !s.is_empty()).map(like_pattern);
        let mut q = String::from(
            "SELECT e.id, e.time_ms, e.rules, e.justification, e.platform, e.site, e.install_id, e.user_hint \
             FROM events e WHERE e.kind = 'override'",
        );
        let mut args: Vec<&(dyn tokio_postgres::types::ToSql + Sync)> = Vec::new();
        if let Some(r) = &rule {
            q.push_str(
                " AND EXISTS (SELECT 1 FROM event_rules r WHERE r.event_id = e.id AND r.rule = ?)",
            );
            args.push(r);
        }
        if let Some(p) = &pattern {
            q.push_str(" AND lower(e.justification) LIKE ? ESCAPE '\\'");
            args.push(p);
        }
        q.push_str(" ORDER BY e.time_ms DESC, e.seq DESC LIMIT ?");
        args.push(&limit);
        let rows = self.rows(&q, &args).await?;
        Ok(rows
            .iter()
            .map(|r| {
                let rules: String = r.get(2);
                Justification {
                    event_id: r.get(0),
                    time_ms: r.get(1),
                    rules: serde_json::from_str(&rules).unwrap_or_default(),
                    justification: r.get::<_, Option<String>>(3).unwrap_or_default(),
                    platform: r.get(4),
                    site: r.get(5),
                    install_id: r.get(6),
                    user_hint: r.get(7),
                }
            })
            .collect())
    }

    async fn fleet(&self, since_ms: i64) -> Result<Vec<FleetRow>> {
        let rows = self.rows(sql::FLEET, &[&since_ms]).await?;
        Ok(rows
            .iter()
            .map(|r| FleetRow {
                ring: r.get(0),
                policy_id: r.get(1),
                policy_version: r.get(2),
                installs: r.get(3),
            })
            .collect())
    }

    async fn fleet_browsers(&self, since_ms: i64) -> Result<Vec<BrowserRow>> {
        let rows = self.rows(sql::BROWSERS, &[&since_ms]).await?;
        Ok(rows
            .iter()
            .map(|r| BrowserRow {
                browser: r.get(0),
                browser_version: r.get(1),
                extension_version: r.get(2),
                installs: r.get(3),
            })
            .collect())
    }

    async fn refusals(&self, since_ms: i64) -> Result<Vec<RefusalRow>> {
        let rows = self.rows(sql::REFUSALS, &[&since_ms]).await?;
        Ok(rows
            .iter()
            .map(|r| RefusalRow {
                code: r.get(0),
                events: r.get(1),
                installs: r.get(2),
            })
            .collect())
    }

    async fn dropped(&self, since_ms: i64) -> Result<Vec<DroppedRow>> {
        let rows = self.rows(sql::DROPPED, &[&since_ms]).await?;
        Ok(rows
            .iter()
            .map(|r| DroppedRow {
                ring: r.get(0),
                dropped: r.get(1),
                installs: r.get(2),
                batches: r.get(3),
            })
            .collect())
    }

    async fn login_failures(&self, name: &str, ip: &str, since_ms: i64) -> Result<LoginFailures> {
        let rows = self
            .rows(sql::LOGIN_FAILURES, &[&name, &ip, &since_ms])
            .await?;
        Ok(rows
            .first()
            .map(|r| LoginFailures {
                count: r.get(0),
                oldest_ms: r.get(1),
            })
            .unwrap_or(LoginFailures {
                count: 0,
                oldest_ms: None,
            }))
    }

    async fn login_failure_add(&self, name: &str, ip: &str, now_ms: i64) -> Result<()> {
        self.rows(
            "INSERT INTO login_failures (name, ip, time_ms) VALUES (?, ?, ?)",
            &[&name, &ip, &now_ms],
        )
        .await?;
        self.rows(
            "DELETE FROM login_failures WHERE time_ms < ?",
            &[&(now_ms - DAY_MS)],
        )
        .await?;
        Ok(())
    }

    async fn login_failures_clear(&self, name: &str, ip: &str) -> Result<()> {
        self.rows(
            "DELETE FROM login_failures WHERE name = ? AND ip = ?",
            &[&name, &ip],
        )
        .await?;
        Ok(())
    }

    async fn platforms(&self, since_ms: i64) -> Result<Vec<PlatformRow>> {
        let rows = self.rows(sql::PLATFORMS, &[&since_ms]).await?;
        let mut v: Vec<PlatformRow> = rows
            .iter()
            .map(|r| PlatformRow {
                platform: r.get(0),
                site: r.get(1),
                blocked: r.get(2),
                overrides: r.get(3),
                monitor: r.get(4),
                installs: r.get(5),
            })
            .collect();
        sort_platforms(&mut v);
        Ok(v)
    }

    async fn library_usage(&self, since_ms: i64) -> Result<Vec<LibraryUse>> {
        // Both reads in one snapshot, so the per-platform rows add up to the totals.
        let mut c = self.pool.get().await?;
        let tx = c
            .build_transaction()
            .isolation_level(tokio_postgres::IsolationLevel::RepeatableRead)
            .read_only(true)
            .start()
            .await?;
        let entries = tx
            .query(&pg_sql(sql::LIBRARY), &[&since_ms])
            .await?
            .iter()
            .map(|r| LibraryUse {
                entry: r.get(0),
                uses: r.get(1),
                inserts: r.get(2),
                copies: r.get(3),
                installs: r.get(4),
                platforms: Vec::new(),
            })
            .collect();
        let platforms = tx
            .query(&pg_sql(sql::LIBRARY_PLATFORMS), &[&since_ms])
            .await?
            .iter()
            .map(|r| {
                (
                    r.get(0),
                    LibraryPlatform {
                        platform: r.get(1),
                        uses: r.get(2),
                        installs: r.get(3),
                    },
                )
            })
            .collect();
        tx.commit().await?;
        Ok(library_rows(entries, platforms))
    }

    async fn forward_lease(
        &self,
        owner: &str,
        now_ms: i64,
        until_ms: i64,
    ) -> Result<Option<ForwardLease>> {
        self.rows(
            "INSERT INTO forward_state (name, cursor, owner, lease_until_ms) VALUES ('siem', 0, NULL, 0) ON CONFLICT DO NOTHING",
            &[],
        )
        .await?;
        let rows = self
            .rows(
                "UPDATE forward_state SET owner = ?, lease_until_ms = ? WHERE name = 'siem' \
                 AND (owner = ? OR owner IS NULL OR lease_until_ms < ?) RETURNING cursor",
                &[&owner, &until_ms, &owner, &now_ms],
            )
            .await?;
        Ok(rows.first().map(|r| ForwardLease { cursor: r.get(0) }))
    }

    async fn forward_advance(&self, owner: &str, cursor: i64) -> Result<bool> {
        let rows = self
            .rows(
                "UPDATE forward_state SET cursor = ? WHERE name = 'siem' AND owner = ? AND cursor < ? RETURNING cursor",
                &[&cursor, &owner, &cursor],
            )
            .await?;
        Ok(!rows.is_empty())
    }
}
