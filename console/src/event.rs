//! Audit events as the extension sends them (README "Audit events", schema
//! `draftguard.audit/1`), validated field by field. Only the fields listed here are
//! accepted: an unknown field (say, `text`) refuses the batch, so draft text can never be
//! stored by accident. A refusal names the field (`events[3].kind`).

use serde::{Deserialize, Serialize};

use crate::error::{Error, Result};
use crate::time::{format_ms, parse_rfc3339_ms};

pub const SCHEMA: &str = "draftguard.audit/1";
/// The extension sends at most 100 events a batch; leave room, refuse floods.
pub const MAX_EVENTS: usize = 500;
const MAX_ID: usize = 100;
const MAX_JUSTIFICATION: usize = 2000;
const MAX_HINT: usize = 200;
const MAX_RULES: usize = 50;
const MAX_MESSAGE: usize = 2000;
const MAX_ENTRY: usize = 128;
/// Events more than this far in the future are refused (a broken clock, or made up).
pub const MAX_FUTURE_MS: i64 = 24 * 3600 * 1000;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Blocked,
    Override,
    Monitor,
    BundleRefused,
    Status,
    /// An approved post from the policy's library was inserted or copied.
    LibraryUsed,
}

impl Kind {
    pub fn name(self) -> &'static str {
        match self {
            Kind::Blocked => "blocked",
            Kind::Override => "override",
            Kind::Monitor => "monitor",
            Kind::BundleRefused => "bundle-refused",
            Kind::Status => "status",
            Kind::LibraryUsed => "library-used",
        }
    }
    pub fn parse(s: &str) -> Option<Kind> {
        [
            Kind::Blocked,
            Kind::Override,
            Kind::Monitor,
            Kind::BundleRefused,
            Kind::Status,
            Kind::LibraryUsed,
        ]
        .into_iter()
        .find(|k| k.name() == s)
    }
}

/// The wire form of a batch.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct WireBatch {
    schema: String,
    extension: WireExtension,
    sent_at: String,
    dropped: u64,
    events: Vec<WireEvent>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WireExtension {
    id: String,
    version: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WirePolicy {
    id: String,
    version: Option<String>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WireRefusal {
    code: String,
    message: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct WireBrowser {
    name: String,
    version: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct WireEvent {
    id: String,
    time: String,
    kind: Kind,
    rules: Vec<String>,
    severity: Option<Severity>,
    policy: Option<WirePolicy>,
    platform: Option<String>,
    site: Option<String>,
    extension_version: String,
    #[serde(default)]
    install_id: Option<String>,
    #[serde(default)]
    ring: Option<String>,
    #[serde(default)]
    user_hint: Option<String>,
    #[serde(default)]
    justification: Option<String>,
    #[serde(default)]
    reason: Option<Reason>,
    #[serde(default)]
    refusal: Option<WireRefusal>,
    #[serde(default)]
    browser: Option<WireBrowser>,
    #[serde(default)]
    entry: Option<String>,
    #[serde(default)]
    action: Option<LibraryAction>,
}

/// How an approved post was used: put into the composer, or copied to the clipboard.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
enum LibraryAction {
    Insert,
    Copy,
}

impl LibraryAction {
    fn name(self) -> &'static str {
        match self {
            LibraryAction::Insert => "insert",
            LibraryAction::Copy => "copy",
        }
    }
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "lowercase")]
enum Severity {
    Block,
    Warn,
    Info,
}

#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(rename_all = "kebab-case")]
enum Reason {
    NoPolicy,
}

/// A validated event, flat, as stored.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Event {
    pub id: String,
    /// When it happened, ms since the epoch (the browser's clock).
    pub time_ms: i64,
    pub kind: Kind,
    pub rules: Vec<String>,
    pub severity: Option<String>,
    pub policy_id: Option<String>,
    pub policy_version: Option<String>,
    pub platform: Option<String>,
    pub site: Option<String>,
    pub extension_version: String,
    pub install_id: Option<String>,
    pub ring: Option<String>,
    pub user_hint: Option<String>,
    pub justification: Option<String>,
    pub reason: Option<String>,
    pub refusal_code: Option<String>,
    pub refusal_message: Option<String>,
    pub browser_name: Option<String>,
    pub browser_version: Option<String>,
    /// `library-used`: the approved post's id (never its text).
    pub entry: Option<String>,
    /// `library-used`: `insert` or `copy`.
    pub action: Option<String>,
}

/// A validated batch.
#[derive(Debug, Clone)]
pub struct Batch {
    pub extension_id: String,
    pub extension_version: String,
    pub dropped: u64,
    pub events: Vec<Event>,
}

/// An event as stored: what arrived, plus where and when it was received.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Stored {
    pub seq: i64,
    pub received_ms: i64,
    /// The enrollment token's name.
    pub token: String,
    pub extension_id: String,
    #[serde(flatten)]
    pub event: Event,
}

fn is_uuid(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 36
        && b.iter().enumerate().all(|(i, c)| match i {
            8 | 13 | 18 | 23 => *c == b'-',
            _ => c.is_ascii_hexdigit(),
        })
}

/// Ring names as the managed key `ring` allows them: letters, digits, `-`, `_`, `.`, 1-64.
pub fn valid_ring(s: &str) -> bool {
    (1..=64).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

/// Library entry ids as the extension sends them: letters, digits, `_`, `.`, `-`, 1-128.
pub fn valid_entry(s: &str) -> bool {
    (1..=MAX_ENTRY).contains(&s.len())
        && s.bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'))
}

fn text(path: &str, v: &str, max: usize) -> Result<()> {
    if v.chars().count() > max {
        return Err(Error::field(path, format!("longer than {max} characters")));
    }
    if v.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(Error::field(path, "contains control characters"));
    }
    Ok(())
}

fn name(path: &str, v: &str, max: usize) -> Result<()> {
    if v.is_empty() {
        return Err(Error::field(path, "is empty"));
    }
    text(path, v, max)
}

/// Parses and validates a batch; `now_ms` judges event times.
pub fn parse_batch(body: &[u8], now_ms: i64) -> Result<Batch> {
    let de = &mut serde_json::Deserializer::from_slice(body);
    let wire: WireBatch = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        // serde_path_to_error's path already ends with the unknown field's name.
        if inner.to_string().starts_with("unknown field `") {
            return Error::field(
                path,
                "is not a field of draftguard.audit/1 (no draft text, no extra data)",
            );
        }
        if path == "." || path.is_empty() {
            Error::invalid(format!(
                "the body is not a draftguard.audit/1 batch: {inner}"
            ))
        } else {
            Error::field(path, inner.to_string())
        }
    })?;
    if wire.schema != SCHEMA {
        return Err(Error::field(
            "schema",
            format!("must be \"{SCHEMA}\", not {:?}", wire.schema),
        ));
    }
    name("extension.id", &wire.extension.id, MAX_ID)?;
    name("extension.version", &wire.extension.version, MAX_ID)?;
    parse_rfc3339_ms(&wire.sent_at).map_err(|m| Error::field("sentAt", m))?;
    if wire.events.is_empty() {
        return Err(Error::field("events", "is empty"));
    }
    if wire.events.len() > MAX_EVENTS {
        return Err(Error::field(
            "events",
            format!(
                "{} events in one batch; at most {MAX_EVENTS}",
                wire.events.len()
            ),
        ));
    }
    let mut seen = std::collections::HashSet::new();
    let mut events = Vec::with_capacity(wire.events.len());
    for (i, w) in wire.events.into_iter().enumerate() {
        let e = check_event(&format!("events[{i}]"), w, now_ms)?;
        if !seen.insert(e.id.clone()) {
            return Err(Error::field(
                format!("events[{i}].id"),
                "appears twice in the batch",
            ));
        }
        events.push(e);
    }
    Ok(Batch {
        extension_id: wire.extension.id,
        extension_version: wire.extension.version,
        dropped: wire.dropped,
        events,
    })
}

fn check_event(at: &str, w: WireEvent, now_ms: i64) -> Result<Event> {
    let f = |field: &str| format!("{at}.{field}");
    if !is_uuid(&w.id) {
        return Err(Error::field(f("id"), "must be a UUID"));
    }
    let time_ms = parse_rfc3339_ms(&w.time).map_err(|m| Error::field(f("time"), m))?;
    if time_ms > now_ms + MAX_FUTURE_MS {
        return Err(Error::field(
            f("time"),
            format!("{} is more than a day in the future", w.time),
        ));
    }
    if w.rules.len() > MAX_RULES {
        return Err(Error::field(
            f("rules"),
            format!("more than {MAX_RULES} rules"),
        ));
    }
    for (j, r) in w.rules.iter().enumerate() {
        name(&format!("{at}.rules[{j}]"), r, MAX_ID)?;
    }
    let mut rules = w.rules;
    rules.dedup();
    let kind = w.kind;
    let findings = matches!(kind, Kind::Blocked | Kind::Override | Kind::Monitor);
    if !findings && !rules.is_empty() {
        return Err(Error::field(
            f("rules"),
            format!("must be empty for a `{}` event", kind.name()),
        ));
    }
    if matches!(kind, Kind::Override | Kind::Monitor) && rules.is_empty() {
        return Err(Error::field(
            f("rules"),
            format!("a `{}` event names at least one rule", kind.name()),
        ));
    }
    if let Some(p) = &w.policy {
        name(&f("policy.id"), &p.id, MAX_ID)?;
        if let Some(v) = &p.version {
            name(&f("policy.version"), v, MAX_ID)?;
        }
    }
    for (field, v) in [("platform", &w.platform), ("site", &w.site)] {
        if let Some(v) = v {
            name(&f(field), v, 253)?;
        }
    }
    name(&f("extensionVersion"), &w.extension_version, MAX_ID)?;
    if let Some(id) = &w.install_id
        && !is_uuid(id)
    {
        return Err(Error::field(f("installId"), "must be a UUID"));
    }
    if let Some(r) = &w.ring
        && !valid_ring(r)
    {
        return Err(Error::field(
            f("ring"),
            "must be 1-64 letters, digits, `-`, `_` or `.`",
        ));
    }
    if let Some(h) = &w.user_hint {
        text(&f("userHint"), h, MAX_HINT)?;
    }
    match (&w.justification, kind) {
        (Some(j), Kind::Override) => text(&f("justification"), j, MAX_JUSTIFICATION)?,
        (Some(_), _) => {
            return Err(Error::field(
                f("justification"),
                "only an `override` event has one",
            ));
        }
        (None, _) => {}
    }
    if w.reason.is_some() && kind != Kind::Blocked {
        return Err(Error::field(f("reason"), "only a `blocked` event has one"));
    }
    match (&w.refusal, kind) {
        (Some(r), Kind::BundleRefused) => {
            name(&f("refusal.code"), &r.code, MAX_ID)?;
            text(&f("refusal.message"), &r.message, MAX_MESSAGE)?;
        }
        (None, Kind::BundleRefused) => {
            return Err(Error::field(
                f("refusal"),
                "a `bundle-refused` event needs one",
            ));
        }
        (Some(_), _) => {
            return Err(Error::field(
                f("refusal"),
                "only a `bundle-refused` event has one",
            ));
        }
        (None, _) => {}
    }
    match (&w.browser, kind) {
        (Some(b), Kind::Status) => {
            text(&f("browser.name"), &b.name, MAX_ID)?;
            text(&f("browser.version"), &b.version, MAX_ID)?;
        }
        (None, Kind::Status) => {
            return Err(Error::field(f("browser"), "a `status` event needs one"));
        }
        (Some(_), _) => {
            return Err(Error::field(f("browser"), "only a `status` event has one"));
        }
        (None, _) => {}
    }
    match (&w.entry, kind) {
        (Some(id), Kind::LibraryUsed) => {
            if !valid_entry(id) {
                return Err(Error::field(
                    f("entry"),
                    "must be the approved post's id: 1-128 letters, digits, `_`, `.` or `-`",
                ));
            }
        }
        (None, Kind::LibraryUsed) => {
            return Err(Error::field(
                f("entry"),
                "a `library-used` event names the approved post",
            ));
        }
        (Some(_), _) => {
            return Err(Error::field(
                f("entry"),
                "only a `library-used` event has one",
            ));
        }
        (None, _) => {}
    }
    match (w.action, kind) {
        (Some(_), Kind::LibraryUsed) => {}
        (None, Kind::LibraryUsed) => {
            return Err(Error::field(
                f("action"),
                "a `library-used` event says `insert` or `copy`",
            ));
        }
        (Some(_), _) => {
            return Err(Error::field(
                f("action"),
                "only a `library-used` event has one",
            ));
        }
        (None, _) => {}
    }
    if kind == Kind::LibraryUsed && w.severity.is_some() {
        return Err(Error::field(
            f("severity"),
            "must be null for a `library-used` event",
        ));
    }
    let (policy_id, policy_version) = match w.policy {
        Some(p) => (Some(p.id), p.version),
        None => (None, None),
    };
    let (refusal_code, refusal_message) = match w.refusal {
        Some(r) => (Some(r.code), Some(r.message)),
        None => (None, None),
    };
    let (browser_name, browser_version) = match w.browser {
        Some(b) => (Some(b.name), Some(b.version)),
        None => (None, None),
    };
    Ok(Event {
        id: w.id.to_ascii_lowercase(),
        time_ms,
        kind,
        rules,
        severity: w.severity.map(|s| {
            match s {
                Severity::Block => "block",
                Severity::Warn => "warn",
                Severity::Info => "info",
            }
            .to_string()
        }),
        policy_id,
        policy_version,
        platform: w.platform,
        site: w.site,
        extension_version: w.extension_version,
        install_id: w.install_id.map(|s| s.to_ascii_lowercase()),
        ring: w.ring,
        user_hint: w.user_hint,
        justification: w.justification,
        reason: w.reason.map(|_| "no-policy".to_string()),
        refusal_code,
        refusal_message,
        browser_name,
        browser_version,
        entry: w.entry,
        action: w.action.map(|a| a.name().to_string()),
    })
}

impl Event {
    /// The event in the extension's wire form (for tests, the bench and the demo seed).
    pub fn to_wire(&self) -> serde_json::Value {
        let mut v = serde_json::json!({
            "id": self.id,
            "time": format_ms(self.time_ms),
            "kind": self.kind.name(),
            "rules": self.rules,
            "severity": self.severity,
            "policy": self.policy_id.as_ref().map(|id| serde_json::json!({"id": id, "version": self.policy_version})),
            "platform": self.platform,
            "site": self.site,
            "extensionVersion": self.extension_version,
        });
        let o = v.as_object_mut().expect("an object");
        let mut put = |k: &str, val: &Option<String>| {
            if let Some(val) = val {
                o.insert(k.into(), val.clone().into());
            }
        };
        put("installId", &self.install_id);
        put("ring", &self.ring);
        put("userHint", &self.user_hint);
        put("justification", &self.justification);
        put("reason", &self.reason);
        put("entry", &self.entry);
        put("action", &self.action);
        if let (Some(c), Some(m)) = (&self.refusal_code, &self.refusal_message) {
            o.insert(
                "refusal".into(),
                serde_json::json!({"code": c, "message": m}),
            );
        }
        if let (Some(n), Some(v)) = (&self.browser_name, &self.browser_version) {
            o.insert(
                "browser".into(),
                serde_json::json!({"name": n, "version": v}),
            );
        }
        v
    }
}

/// A batch body in the extension's wire form.
pub fn wire_batch(events: &[Event]) -> serde_json::Value {
    serde_json::json!({
        "schema": SCHEMA,
        "extension": {"id": "blfnpichnbafahbihfnffoolabgglaon", "version": "0.1.0"},
        "sentAt": format_ms(events.iter().map(|e| e.time_ms).max().unwrap_or(0)),
        "dropped": 0,
        "events": events.iter().map(Event::to_wire).collect::<Vec<_>>(),
    })
}
