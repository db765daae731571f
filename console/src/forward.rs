//! The SIEM forwarder: pushes every stored event, as OCSF, to a Splunk HTTP Event
//! Collector or a generic webhook (NDJSON). At least once and in order: a batch is sent,
//! and only after a 2xx is the cursor (the last event `seq` delivered) saved in the
//! database; failures are retried with exponential backoff (1 s doubling to 5 min), so an
//! outage or a restart loses nothing. With several console instances, one holds the
//! forwarder's lease at a time.

use std::time::Duration;

use crate::error::Result;
use crate::ocsf;
use crate::store::Store;
use crate::time::now_ms;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Splunk HEC: `{"time":..., "sourcetype": "draftguard:ocsf", "event": {...}}` objects,
    /// `Authorization: Splunk TOKEN`.
    Splunk,
    /// One OCSF object per line, `Authorization: Bearer TOKEN` if a token is set.
    Webhook,
}

#[derive(Debug, Clone)]
pub struct Forwarder {
    pub url: String,
    pub format: Format,
    pub token: Option<String>,
    pub batch: i64,
    /// Events younger than this are not sent yet: with PostgreSQL, a concurrent insert may
    /// commit a lower `seq` a moment after a higher one; waiting lets it land first.
    pub settle_ms: i64,
}

const LEASE_MS: i64 = 30_000;
const MAX_BACKOFF: Duration = Duration::from_secs(300);

impl Forwarder {
    fn body(&self, rows: &[crate::event::Stored]) -> String {
        let mut out = String::new();
        for r in rows {
            let ev = ocsf::map(r);
            let line = match self.format {
                Format::Splunk => serde_json::json!({
                    "time": r.event.time_ms as f64 / 1000.0,
                    "source": "draftguard-console",
                    "sourcetype": "draftguard:ocsf",
                    "event": ev,
                }),
                Format::Webhook => ev,
            };
            out.push_str(&line.to_string());
            out.push('\n');
        }
        out
    }

    async fn send(
        &self,
        client: &reqwest::Client,
        body: String,
    ) -> std::result::Result<(), String> {
        let mut req = client
            .post(&self.url)
            .header(
                reqwest::header::CONTENT_TYPE,
                match self.format {
                    Format::Splunk => "application/json",
                    Format::Webhook => "application/x-ndjson",
                },
            )
            .body(body);
        if let Some(t) = &self.token {
            req = req.header(
                reqwest::header::AUTHORIZATION,
                match self.format {
                    Format::Splunk => format!("Splunk {t}"),
                    Format::Webhook => format!("Bearer {t}"),
                },
            );
        }
        match req.send().await {
            Ok(r) if r.status().is_success() => Ok(()),
            Ok(r) => Err(format!("HTTP {}", r.status())),
            Err(e) => Err(e.to_string()),
        }
    }

    /// One round: take the lease, send what is pending batch by batch. Returns how many
    /// events were delivered, or the error that stopped it.
    pub async fn round<S: Store>(
        &self,
        store: &S,
        client: &reqwest::Client,
        owner: &str,
    ) -> std::result::Result<usize, String> {
        let now = now_ms();
        let Some(lease) = store
            .forward_lease(owner, now, now + LEASE_MS)
            .await
            .map_err(|e| e.message)?
        else {
            return Ok(0);
        };
        let mut cursor = lease.cursor;
        let mut sent = 0;
        loop {
            let rows = store
                .events_since(0, cursor, self.batch)
                .await
                .map_err(|e| e.message)?;
            let settled = now_ms() - self.settle_ms;
            let rows: Vec<_> = rows
                .into_iter()
                .take_while(|r| r.received_ms <= settled)
                .collect();
            let Some(last) = rows.last().map(|r| r.seq) else {
                return Ok(sent);
            };
            self.send(client, self.body(&rows)).await?;
            if !store
                .forward_advance(owner, last)
                .await
                .map_err(|e| e.message)?
            {
                // Lost the lease meanwhile: the new holder goes on from the saved cursor.
                return Ok(sent);
            }
            sent += rows.len();
            cursor = last;
            store
                .forward_lease(owner, now_ms(), now_ms() + LEASE_MS)
                .await
                .map_err(|e| e.message)?;
        }
    }

    /// Runs forever: a round every second while it works, backing off while it fails.
    pub async fn run<S: Store>(self, store: S, owner: String) -> Result<()> {
        let client = reqwest::Client::builder()
            .timeout(Duration::from_secs(30))
            .build()
            .map_err(|e| crate::error::Error::internal(e.to_string()))?;
        let mut backoff = Duration::from_secs(1);
        loop {
            match self.round(&store, &client, &owner).await {
                Ok(_) => {
                    backoff = Duration::from_secs(1);
                    tokio::time::sleep(Duration::from_secs(1)).await;
                }
                Err(e) => {
                    eprintln!(
                        "draftguard-console: forwarding to {} failed ({e}); retrying in {} s",
                        self.url,
                        backoff.as_secs()
                    );
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(MAX_BACKOFF);
                }
            }
        }
    }
}
