//! Made-up but plausible audit history, for `make demo`, the tests and the load bench:
//! deterministic (a seeded generator), so the same call makes the same events.

use crate::error::Result;
use crate::event::{Batch, Event, Kind};
use crate::store::Store;
use crate::time::DAY_MS;

/// SplitMix64: small, fast, good enough to make up demo data.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed)
    }
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    pub fn below(&mut self, n: u64) -> u64 {
        self.next_u64() % n.max(1)
    }
    pub fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len() as u64) as usize]
    }
    /// A random (version 4 shaped) UUID.
    pub fn uuid(&mut self) -> String {
        let (a, b) = (self.next_u64(), self.next_u64());
        format!(
            "{:08x}-{:04x}-4{:03x}-{:04x}-{:012x}",
            a >> 32,
            (a >> 16) & 0xffff,
            a & 0xfff,
            0x8000 | ((b >> 48) & 0x3fff),
            b & 0xffff_ffff_ffff
        )
    }
}

pub const POLICY: &str = "financial-services";
const SITES: &[(&str, &str)] = &[
    ("linkedin", "www.linkedin.com"),
    ("x", "x.com"),
    ("facebook", "www.facebook.com"),
    ("reddit", "www.reddit.com"),
    ("bluesky", "bsky.app"),
];
const ENFORCED: &[&str] = &["promissory", "off-channel", "mnpi", "projections"];
const MONITORED: &[&str] = &["cashtags"];
const JUSTIFICATIONS: &[&str] = &[
    "Approved by compliance, ticket 4711",
    "Quoting the prospectus verbatim",
    "Reviewed with legal before posting",
    "False positive: it is a product name",
    "Customer asked publicly, answered per script",
];

/// One install's identity.
#[derive(Debug, Clone)]
pub struct Install {
    pub id: String,
    pub ring: String,
    pub version: String,
    pub browser: (&'static str, &'static str),
}

pub fn installs(n: usize, rng: &mut Rng) -> Vec<Install> {
    (0..n)
        .map(|i| {
            let pilot = i % 5 == 0;
            Install {
                id: rng.uuid(),
                ring: if pilot { "pilot" } else { "broad" }.to_string(),
                version: if pilot { "2026.11.3" } else { "2026.11.2" }.to_string(),
                browser: *rng.pick(&[("chrome", "131.0"), ("edge", "131.0"), ("firefox", "128.5")]),
            }
        })
        .collect()
}

fn base(rng: &mut Rng, i: &Install, kind: Kind, time_ms: i64) -> Event {
    let (platform, site) = *rng.pick(SITES);
    Event {
        id: rng.uuid(),
        time_ms,
        kind,
        rules: vec![],
        severity: None,
        policy_id: Some(POLICY.to_string()),
        policy_version: Some(i.version.clone()),
        platform: Some(platform.to_string()),
        site: Some(site.to_string()),
        extension_version: "0.1.0".to_string(),
        install_id: Some(i.id.clone()),
        ring: Some(i.ring.clone()),
        user_hint: None,
        justification: None,
        reason: None,
        refusal_code: None,
        refusal_message: None,
        browser_name: None,
        browser_version: None,
        entry: None,
        action: None,
    }
}

/// A plausible event of `install` at `time_ms` (any kind but status).
pub fn finding(rng: &mut Rng, install: &Install, time_ms: i64) -> Event {
    let roll = rng.below(100);
    if roll < 45 {
        let mut e = base(rng, install, Kind::Monitor, time_ms);
        e.rules = vec![rng.pick(MONITORED).to_string()];
        e.severity = Some("warn".into());
        e
    } else if roll < 80 {
        let mut e = base(rng, install, Kind::Blocked, time_ms);
        e.rules = vec![rng.pick(ENFORCED).to_string()];
        e.severity = Some("block".into());
        e
    } else if roll < 97 {
        let mut e = base(rng, install, Kind::Override, time_ms);
        e.rules = vec![rng.pick(ENFORCED).to_string()];
        e.severity = Some("block".into());
        e.justification = Some(rng.pick(JUSTIFICATIONS).to_string());
        e
    } else {
        let mut e = base(rng, install, Kind::BundleRefused, time_ms);
        e.platform = None;
        e.site = None;
        let code = *rng.pick(&["expired", "rollback", "bad-signature"]);
        e.refusal_code = Some(code.into());
        e.refusal_message = Some(format!("the bundle was refused ({code})"));
        e
    }
}

/// The financial-services policy's approved posts (`library:`).
const LIBRARY: &[&str] = &["job-opening", "savings-launch"];

/// `install` inserted (mostly) or copied one of the policy's approved posts.
pub fn library_use(rng: &mut Rng, install: &Install, time_ms: i64) -> Event {
    let mut e = base(rng, install, Kind::LibraryUsed, time_ms);
    e.entry = Some(rng.pick(LIBRARY).to_string());
    e.action = Some(if rng.below(4) == 0 { "copy" } else { "insert" }.into());
    e
}

/// The daily status event of `install`.
pub fn status(rng: &mut Rng, install: &Install, time_ms: i64) -> Event {
    let mut e = base(rng, install, Kind::Status, time_ms);
    e.platform = None;
    e.site = None;
    e.browser_name = Some(install.browser.0.into());
    e.browser_version = Some(install.browser.1.into());
    e
}

/// `days` of history up to `now_ms` for `n` installs, stored through the intake path.
pub async fn seed<S: Store>(store: &S, n: usize, days: i64, now_ms: i64) -> Result<usize> {
    let mut rng = Rng::new(20261123);
    let fleet = installs(n, &mut rng);
    let mut total = 0;
    for d in (0..days).rev() {
        let day_start = now_ms - (d + 1) * DAY_MS;
        let mut events = Vec::new();
        for i in &fleet {
            let t = day_start + rng.below(DAY_MS as u64) as i64;
            events.push(status(&mut rng, i, t));
            for _ in 0..rng.below(4) {
                let t = day_start + rng.below(DAY_MS as u64) as i64;
                events.push(finding(&mut rng, i, t));
            }
            if rng.below(3) == 0 {
                let t = day_start + rng.below(DAY_MS as u64) as i64;
                events.push(library_use(&mut rng, i, t));
            }
        }
        total += events.len();
        for chunk in events.chunks(100) {
            // Now and then a browser was offline long enough for its queue to overflow.
            let dropped = if rng.below(8) == 0 {
                1 + rng.below(30)
            } else {
                0
            };
            let batch = Batch {
                extension_id: "demo".into(),
                extension_version: "0.1.0".into(),
                dropped,
                events: chunk.to_vec(),
            };
            store.insert_events(&batch, "demo", now_ms).await?;
        }
    }
    Ok(total)
}
