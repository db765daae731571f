//! The console under load (`make console-bench`): INSTALLS simulated browsers send
//! batches of audit events concurrently, the way the extension does (same ids on every
//! retry, backoff, Retry-After). Starts the release console itself, so that with
//! `--kill-at SECS` it can kill it with SIGKILL mid-load and start it again; at the end it
//! opens the database and checks that every event is stored exactly once.
//!
//! cargo run --release -p draftguard-console --example bench -- \
//!   --console target/release/draftguard-console --database /tmp/b.db [--kill-at 3]

use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use draftguard_console::demo::{Rng, finding, installs};
use draftguard_console::event::wire_batch;
use draftguard_console::store::{PgStore, SqliteStore, Store};
use draftguard_console::time::now_ms;
use tokio::sync::{Mutex, Semaphore};

#[derive(Clone)]
struct Opts {
    console: String,
    database: String,
    installs: usize,
    batches: usize,
    per_batch: usize,
    concurrency: usize,
    kill_at: Option<f64>,
    port: u16,
}

fn opts() -> Opts {
    let mut o = Opts {
        console: "target/release/draftguard-console".into(),
        database: String::new(),
        installs: 10_000,
        batches: 2,
        per_batch: 10,
        concurrency: 200,
        kill_at: None,
        port: 0,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let v = args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--console" => o.console = v,
            "--database" => o.database = v,
            "--installs" => o.installs = v.parse().expect("--installs N"),
            "--batches" => o.batches = v.parse().expect("--batches N"),
            "--per-batch" => o.per_batch = v.parse().expect("--per-batch N"),
            "--concurrency" => o.concurrency = v.parse().expect("--concurrency N"),
            "--kill-at" => o.kill_at = Some(v.parse().expect("--kill-at SECS")),
            "--port" => o.port = v.parse().expect("--port N"),
            a => panic!("unknown argument {a}"),
        }
        i += 2;
    }
    assert!(!o.database.is_empty(), "--database is required");
    if o.port == 0 {
        o.port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
    }
    o
}

fn console(o: &Opts, args: &[&str]) -> Command {
    let mut c = Command::new(&o.console);
    c.arg("--database").arg(&o.database).args(args);
    c
}

fn spawn(o: &Opts) -> Child {
    console(
        o,
        &[
            "serve",
            "--listen",
            &format!("127.0.0.1:{}", o.port),
            "--rate-limit",
            "10000000",
            "--burst",
            "10000000",
        ],
    )
    .stderr(Stdio::null())
    .spawn()
    .expect("start the console")
}

async fn wait_up(url: &str) {
    let c = reqwest::Client::new();
    for _ in 0..400 {
        if c.get(format!("{url}/healthz"))
            .send()
            .await
            .is_ok_and(|r| r.status().is_success())
        {
            return;
        }
        tokio::time::sleep(Duration::from_millis(25)).await;
    }
    panic!("the console did not come up at {url}");
}

#[tokio::main]
async fn main() {
    let o = opts();
    let url = format!("http://127.0.0.1:{}", o.port);
    let token_out = console(&o, &["token", "create", &format!("bench-{}", now_ms())])
        .stderr(Stdio::null())
        .output()
        .expect("create a token");
    assert!(token_out.status.success(), "token create failed");
    let token = String::from_utf8(token_out.stdout)
        .unwrap()
        .trim()
        .to_string();
    let child = Arc::new(Mutex::new(spawn(&o)));
    wait_up(&url).await;

    // Every event made up front: what "the fleet" will have sent.
    let mut rng = Rng::new(7);
    let fleet = installs(o.installs, &mut rng);
    let now = now_ms();
    let mut bodies = Vec::with_capacity(o.installs * o.batches);
    for i in &fleet {
        for _ in 0..o.batches {
            let events: Vec<_> = (0..o.per_batch)
                .map(|_| {
                    let t = now - rng.below(3_600_000) as i64;
                    finding(&mut rng, i, t)
                })
                .collect();
            bodies.push(serde_json::to_vec(&wire_batch(&events)).unwrap());
        }
    }
    let total_events = (o.installs * o.batches * o.per_batch) as u64;
    eprintln!(
        "bench: {} installs x {} batches x {} events = {total_events} events, {} requests in flight at most, {}",
        o.installs, o.batches, o.per_batch, o.concurrency, o.database
    );

    let http = reqwest::Client::builder()
        .pool_max_idle_per_host(o.concurrency)
        .timeout(Duration::from_secs(30))
        .build()
        .unwrap();
    let sem = Arc::new(Semaphore::new(o.concurrency));
    let latencies = Arc::new(Mutex::new(Vec::<u32>::with_capacity(bodies.len())));
    let (retries, accepted, duplicates) = (
        Arc::new(AtomicU64::new(0)),
        Arc::new(AtomicU64::new(0)),
        Arc::new(AtomicU64::new(0)),
    );
    let started = Instant::now();
    if let Some(at) = o.kill_at {
        let (child, o2) = (child.clone(), o.clone());
        let url = url.clone();
        tokio::spawn(async move {
            tokio::time::sleep(Duration::from_secs_f64(at)).await;
            let mut c = child.lock().await;
            // SIGKILL: no graceful shutdown, in-flight requests die mid-transaction.
            c.kill().expect("kill -9 the console");
            let _ = c.wait();
            eprintln!("bench: killed the console (SIGKILL) at {at:.1} s");
            tokio::time::sleep(Duration::from_millis(500)).await;
            *c = spawn(&o2);
            drop(c);
            wait_up(&url).await;
            eprintln!(
                "bench: console back at {:.1} s",
                started.elapsed().as_secs_f64()
            );
        });
    }
    // One task per install: its batches one after another, each retried until a 2xx.
    let per_install = o.batches;
    let mut tasks = Vec::with_capacity(o.installs);
    let bodies = Arc::new(bodies);
    for n in 0..o.installs {
        let (http, sem, lat, retries, accepted, duplicates, bodies, token, url) = (
            http.clone(),
            sem.clone(),
            latencies.clone(),
            retries.clone(),
            accepted.clone(),
            duplicates.clone(),
            bodies.clone(),
            token.clone(),
            url.clone(),
        );
        tasks.push(tokio::spawn(async move {
            for b in 0..per_install {
                let body = &bodies[n * per_install + b];
                let mut backoff = Duration::from_millis(100);
                loop {
                    let permit = sem.acquire().await.unwrap();
                    let t0 = Instant::now();
                    let r = http
                        .post(format!("{url}/v1/events"))
                        .bearer_auth(&token)
                        .header("content-type", "application/json")
                        .body(body.clone())
                        .send()
                        .await;
                    let ok = match r {
                        Ok(r) if r.status().is_success() => {
                            let v: serde_json::Value = r.json().await.unwrap_or_default();
                            accepted
                                .fetch_add(v["accepted"].as_u64().unwrap_or(0), Ordering::Relaxed);
                            duplicates.fetch_add(
                                v["duplicates"].as_u64().unwrap_or(0),
                                Ordering::Relaxed,
                            );
                            true
                        }
                        Ok(r) => {
                            assert!(
                                r.status().is_server_error() || r.status().as_u16() == 429,
                                "refused: HTTP {} {}",
                                r.status(),
                                r.text().await.unwrap_or_default()
                            );
                            false
                        }
                        Err(_) => false,
                    };
                    let ms = t0.elapsed().as_micros() as u32;
                    drop(permit);
                    if ok {
                        lat.lock().await.push(ms);
                        break;
                    }
                    retries.fetch_add(1, Ordering::Relaxed);
                    tokio::time::sleep(backoff).await;
                    backoff = (backoff * 2).min(Duration::from_secs(2));
                }
            }
        }));
    }
    for t in tasks {
        t.await.unwrap();
    }
    let secs = started.elapsed().as_secs_f64();
    let mut lat = latencies.lock().await.clone();
    lat.sort_unstable();
    let pct = |p: f64| lat[((lat.len() as f64 * p) as usize).min(lat.len() - 1)] as f64 / 1000.0;

    // What the database holds.
    let stored = if o.database.starts_with("postgres") {
        PgStore::open(&o.database, 2)
            .await
            .unwrap()
            .event_count()
            .await
            .unwrap()
    } else {
        SqliteStore::open(&o.database)
            .unwrap()
            .event_count()
            .await
            .unwrap()
    };
    {
        let mut c = child.lock().await;
        let _ = c.kill();
        let _ = c.wait();
    }
    println!(
        "{}: {total_events} events from {} installs in {secs:.1} s = {:.0} events/s ({:.0} requests/s); latency p50 {:.1} ms, p99 {:.1} ms, max {:.1} ms; {} retried requests; stored {stored} (lost {}, duplicated {}); answers: {} accepted + {} already stored",
        if o.database.starts_with("postgres") {
            "postgres"
        } else {
            "sqlite"
        },
        o.installs,
        total_events as f64 / secs,
        (o.installs * o.batches) as f64 / secs,
        pct(0.5),
        pct(0.99),
        pct(1.0),
        retries.load(Ordering::Relaxed),
        total_events.saturating_sub(stored as u64),
        (stored as u64).saturating_sub(total_events),
        accepted.load(Ordering::Relaxed),
        duplicates.load(Ordering::Relaxed),
    );
    if stored as u64 != total_events {
        std::process::exit(1);
    }
}
