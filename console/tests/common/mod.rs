//! What every console test needs: a store of each backend (PostgreSQL: a fresh database
//! in the cluster DATABASE_URL points at), signed bundles, a running console.

#![allow(dead_code)]

use std::net::SocketAddr;

use draftguard::Timestamp;
use draftguard::bundle::{self, PublicKey, SecretKey, Stamp};
use draftguard::policy::{FsResolver, Source, Version};
use draftguard_console::event::{Event, Kind, wire_batch};
use draftguard_console::rings::Rings;
use draftguard_console::server::{App, Limits, router};
use draftguard_console::store::{PgStore, Scope, SqliteStore, Store};
use draftguard_console::{auth, time::now_ms};

pub fn key(n: u8) -> SecretKey {
    SecretKey::from_seed([n; 32])
}

pub const POLICY_V1: &str = "policy: acme\nversion: \"2026.11.1\"\nrules:\n  - {id: harbor, kind: phrases, severity: block, phrases: [\"blue harbor\"]}\ntests:\n  - {text: \"Blue Harbor ships soon\", expect: [harbor]}\n";
pub const POLICY_V2: &str = "policy: acme\nversion: \"2026.11.2\"\nrules:\n  - {id: harbor, kind: phrases, severity: block, phrases: [\"blue harbor\", \"red harbor\"]}\ntests:\n  - {text: \"Red Harbor ships soon\", expect: [harbor]}\n";

/// A bundle of `policy` signed with key `k`, optionally stamped with another version.
pub fn signed(policy: &str, k: u8, version: Option<&str>) -> String {
    let now = Timestamp::now();
    let stamp = Stamp {
        version: version.map(|v| Version::parse(v).unwrap()),
        issued_at: Timestamp(now.0 - 60),
        expires_at: Timestamp(now.0 + 30 * 86_400),
        as_written: false,
    };
    bundle::seal(
        &Source::new("acme.yaml", policy),
        &FsResolver,
        &key(k),
        &stamp,
    )
    .unwrap()
    .0
}

pub fn pinned() -> Vec<PublicKey> {
    vec![key(1).public()]
}

pub fn sqlite() -> (SqliteStore, tempfile::TempDir) {
    let dir = tempfile::tempdir().unwrap();
    let s = SqliteStore::open(dir.path().join("console.db")).unwrap();
    (s, dir)
}

/// A new, empty database in the cluster of DATABASE_URL; None (the test is skipped, said
/// on stderr) without DATABASE_URL, unless DRAFTGUARD_REQUIRE_PG is set (make console-test).
pub async fn pg_url() -> Option<String> {
    let Ok(base) = std::env::var("DATABASE_URL") else {
        assert!(
            std::env::var("DRAFTGUARD_REQUIRE_PG").is_err(),
            "DRAFTGUARD_REQUIRE_PG is set but DATABASE_URL is not"
        );
        eprintln!(
            "DATABASE_URL is not set: skipping the PostgreSQL variant (make console-test runs it)"
        );
        return None;
    };
    let (client, conn) = tokio_postgres::connect(&base, tokio_postgres::NoTls)
        .await
        .expect("connect to DATABASE_URL");
    tokio::spawn(conn);
    let name = format!(
        "t_{}",
        auth::random_secret("").unwrap()[..12]
            .to_lowercase()
            .replace(['-', '_'], "x")
    );
    client
        .batch_execute(&format!("CREATE DATABASE {name}"))
        .await
        .expect("create a test database");
    // Replace the database name (the path) in the URL.
    let (head, _) = base.rsplit_once('/').expect("a database in DATABASE_URL");
    let q = base.find('?').map(|i| &base[i..]).unwrap_or("");
    Some(format!("{head}/{name}{q}"))
}

pub async fn pg() -> Option<PgStore> {
    let url = pg_url().await?;
    Some(PgStore::open(&url, 8).await.expect("open PostgreSQL"))
}

/// A console on an ephemeral port.
pub struct Console {
    pub addr: SocketAddr,
    pub url: String,
    pub task: tokio::task::JoinHandle<()>,
}

pub async fn start<S: Store>(store: S, limits: Limits) -> Console {
    let app = router(App::new(Rings::new(store, pinned()), limits));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    let task = tokio::spawn(async move {
        axum::serve(
            listener,
            app.into_make_service_with_connect_info::<SocketAddr>(),
        )
        .await
        .unwrap();
    });
    Console {
        addr,
        url: format!("http://{addr}"),
        task,
    }
}

pub async fn token<S: Store>(store: &S, name: &str, scope: Scope) -> String {
    let secret = auth::random_secret("dge_").unwrap();
    store
        .token_create(name, scope, &auth::digest(&secret), now_ms())
        .await
        .unwrap();
    secret
}

pub fn uuid(n: u64) -> String {
    format!("00000000-0000-4000-8000-{n:012x}")
}

pub fn install(n: u64) -> String {
    format!("11111111-0000-4000-8000-{n:012x}")
}

/// An event of `kind` for `rules` by install `inst`, at `time_ms`.
pub fn ev(id: u64, kind: Kind, rules: &[&str], inst: u64, time_ms: i64) -> Event {
    Event {
        id: uuid(id),
        time_ms,
        kind,
        rules: rules.iter().map(|r| r.to_string()).collect(),
        severity: match kind {
            Kind::Monitor => Some("warn".into()),
            Kind::Blocked | Kind::Override => Some("block".into()),
            _ => None,
        },
        policy_id: Some("acme".into()),
        policy_version: Some("2026.11.1".into()),
        platform: Some("linkedin".into()),
        site: Some("www.linkedin.com".into()),
        extension_version: "0.1.0".into(),
        install_id: Some(install(inst)),
        ring: Some("pilot".into()),
        user_hint: None,
        justification: (kind == Kind::Override).then(|| "Approved by compliance".to_string()),
        reason: None,
        refusal_code: (kind == Kind::BundleRefused).then(|| "expired".to_string()),
        refusal_message: (kind == Kind::BundleRefused).then(|| "too old".to_string()),
        browser_name: (kind == Kind::Status).then(|| "chrome".to_string()),
        browser_version: (kind == Kind::Status).then(|| "131".to_string()),
        entry: (kind == Kind::LibraryUsed).then(|| "job-opening".to_string()),
        action: (kind == Kind::LibraryUsed).then(|| "insert".to_string()),
    }
}

pub async fn post_events(
    client: &reqwest::Client,
    url: &str,
    token: &str,
    events: &[Event],
) -> reqwest::Response {
    client
        .post(format!("{url}/v1/events"))
        .bearer_auth(token)
        .json(&wire_batch(events))
        .send()
        .await
        .unwrap()
}

/// Runs an async test body against SQLite and against PostgreSQL.
#[macro_export]
macro_rules! both {
    ($name:ident) => {
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() {
                let (s, _dir) = $crate::common::sqlite();
                super::$name(s).await;
            }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() {
                if let Some(s) = $crate::common::pg().await {
                    super::$name(s).await;
                }
            }
        }
    };
}
