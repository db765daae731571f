//! Every table the dashboard shows, built once from the store's answers and rendered two
//! ways: as HTML (pages.rs) and as CSV (`/dashboard/csv/NAME.csv` with the page's query).
//! So each table has its CSV export, with the same rows.

use serde::{Deserialize, Serialize};

use super::csv;
use crate::error::{Error, Result};
use crate::store::{RuleDay, Store};
use crate::time::{DAY_MS, day_name, format_ms};

/// What a page or a CSV export is asked for: the window in days, a rule, a search.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Params {
    #[serde(skip_serializing_if = "Option::is_none")]
    pub days: Option<i64>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rule: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub q: Option<String>,
}

pub const WINDOWS: [i64; 3] = [7, 30, 90];

impl Params {
    /// The window: 30 days unless asked, 1 to 365.
    pub fn days(&self) -> i64 {
        self.days.unwrap_or(30).clamp(1, 365)
    }
    pub fn rule(&self) -> Option<&str> {
        self.rule.as_deref().filter(|r| !r.is_empty())
    }
    pub fn q(&self) -> Option<&str> {
        self.q.as_deref().map(str::trim).filter(|q| !q.is_empty())
    }
    /// `days=30&rule=x` (empty when there is nothing to say).
    pub fn query(&self) -> String {
        serde_urlencoded::to_string(self).unwrap_or_default()
    }
    pub fn with_days(&self, days: i64) -> Params {
        Params {
            days: Some(days),
            ..self.clone()
        }
    }
}

/// A value in a table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Text(String),
    Num(i64),
    /// A share (0.25), shown as 25.0 %; empty when there is nothing to divide by.
    Rate(Option<f64>),
    /// ms since the epoch.
    Time(i64),
    /// Text linking to a dashboard page.
    Link(String, String),
}

impl Cell {
    fn text(s: impl Into<String>) -> Cell {
        Cell::Text(s.into())
    }
    fn opt(s: &Option<String>) -> Cell {
        Cell::Text(s.clone().unwrap_or_default())
    }
    pub fn is_num(&self) -> bool {
        matches!(self, Cell::Num(_) | Cell::Rate(_))
    }
    /// As the page shows it.
    pub fn display(&self) -> String {
        match self {
            Cell::Text(s) | Cell::Link(s, _) => s.clone(),
            Cell::Num(n) => n.to_string(),
            Cell::Rate(Some(r)) => format!("{:.1} %", r * 100.0),
            Cell::Rate(None) => "–".into(),
            Cell::Time(ms) => format_ms(*ms)[..16].replace('T', " ") + " UTC",
        }
    }
    /// As the CSV has it: numbers plain, times RFC 3339, text defused.
    fn csv(&self) -> String {
        match self {
            Cell::Text(s) | Cell::Link(s, _) => csv::text(s),
            Cell::Num(n) => n.to_string(),
            Cell::Rate(Some(r)) => format!("{r:.4}"),
            Cell::Rate(None) => String::new(),
            Cell::Time(ms) => format_ms(*ms),
        }
    }
}

#[derive(Debug, Clone)]
pub struct Table {
    /// The CSV's name (`rules` is `/dashboard/csv/rules.csv`).
    pub name: &'static str,
    pub title: String,
    pub columns: Vec<&'static str>,
    pub rows: Vec<Vec<Cell>>,
    /// What an empty table says.
    pub empty: &'static str,
    /// The parameters it was built with (the CSV link repeats them).
    pub params: Params,
}

impl Table {
    pub fn csv_href(&self) -> String {
        let q = self.params.query();
        if q.is_empty() {
            format!("/dashboard/csv/{}.csv", self.name)
        } else {
            format!("/dashboard/csv/{}.csv?{q}", self.name)
        }
    }
    pub fn csv(&self) -> String {
        let mut out = String::new();
        csv::record(&mut out, self.columns.iter().copied());
        for row in &self.rows {
            let cells: Vec<String> = row.iter().map(Cell::csv).collect();
            csv::record(&mut out, cells.iter().map(String::as_str));
        }
        out
    }
}

/// A path segment with everything but unreserved characters percent-encoded.
pub fn segment(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

pub fn rule_href(rule: &str) -> String {
    format!("/dashboard/rules/{}", segment(rule))
}

/// Every table's name, for the CSV route.
pub const NAMES: &[&str] = &[
    "rules",
    "rule-days",
    "pilot",
    "justifications",
    "rings",
    "bundles",
    "fleet",
    "browsers",
    "refusals",
    "dropped",
    "platforms",
    "library",
    "library-platforms",
    "activity",
];

/// The window `[from, ∞)` of `p`, at `now`.
pub fn since(p: &Params, now: i64) -> i64 {
    now - p.days() * DAY_MS
}

/// How a rule ran in the window, from what it did.
fn mode(blocked: i64, overrides: i64, monitor: i64) -> &'static str {
    match (blocked + overrides > 0, monitor > 0) {
        (true, false) => "enforce",
        (false, true) => "monitor",
        _ => "enforce and monitor",
    }
}

/// Builds table `name` for `p` at `now`.
pub async fn build<S: Store>(store: &S, name: &str, p: &Params, now: i64) -> Result<Table> {
    let from = since(p, now);
    let days = p.days();
    let t = |name, title: String, columns: Vec<&'static str>, empty| Table {
        name,
        title,
        columns,
        rows: Vec::new(),
        empty,
        params: Params {
            days: Some(days),
            ..Params::default()
        },
    };
    let table = match name {
        "rules" => {
            let mut table = t(
                "rules",
                format!("Rules, last {days} days"),
                vec![
                    "Rule",
                    "Mode",
                    "Blocked",
                    "Overrides",
                    "Override rate",
                    "Monitor hits",
                    "Installs",
                ],
                "No rule has fired in this window.",
            );
            for r in store.rule_totals(from, i64::MAX).await? {
                table.rows.push(vec![
                    Cell::Link(r.rule.clone(), rule_href(&r.rule)),
                    Cell::text(mode(r.blocked, r.overrides, r.monitor)),
                    Cell::Num(r.blocked),
                    Cell::Num(r.overrides),
                    Cell::Rate(r.override_rate),
                    Cell::Num(r.monitor),
                    Cell::Num(r.installs),
                ]);
            }
            table
        }
        "rule-days" => {
            let rule = p
                .rule()
                .ok_or_else(|| Error::field("rule", "name the rule"))?;
            let mut table = t(
                "rule-days",
                format!("{rule} per day, last {days} days"),
                vec!["Day", "Blocked", "Overrides", "Monitor hits", "Installs"],
                "The rule did not fire in this window.",
            );
            table.params.rule = Some(rule.to_string());
            for d in rule_days(store, rule, from).await? {
                table.rows.push(vec![
                    Cell::text(d.day),
                    Cell::Num(d.blocked),
                    Cell::Num(d.overrides),
                    Cell::Num(d.monitor),
                    Cell::Num(d.installs),
                ]);
            }
            table
        }
        "pilot" => {
            let mut table = Table {
                params: Params {
                    rule: p.rule().map(str::to_string),
                    ..Params::default()
                },
                ..t(
                    "pilot",
                    "If these monitor rules were enforced".into(),
                    vec![
                        "Rule",
                        "Posts stopped, 7 days",
                        "People, 7 days",
                        "Posts stopped, 30 days",
                        "People, 30 days",
                    ],
                    "No monitor rule has fired in the last 30 days.",
                )
            };
            for r in pilot(store, p.rule(), now).await? {
                table.rows.push(vec![
                    Cell::Link(r.rule.clone(), rule_href(&r.rule)),
                    Cell::Num(r.posts7),
                    Cell::Num(r.people7),
                    Cell::Num(r.posts30),
                    Cell::Num(r.people30),
                ]);
            }
            table
        }
        "justifications" => {
            let mut table = Table {
                params: Params {
                    rule: p.rule().map(str::to_string),
                    q: p.q().map(str::to_string),
                    ..Params::default()
                },
                ..t(
                    "justifications",
                    "Override justifications".into(),
                    vec![
                        "Time",
                        "Rules",
                        "Justification",
                        "Platform",
                        "Site",
                        "Install",
                        "User",
                    ],
                    "No override justification matches.",
                )
            };
            for j in store.justifications(p.rule(), p.q(), 500).await? {
                table.rows.push(vec![
                    Cell::Time(j.time_ms),
                    Cell::text(j.rules.join(" ")),
                    Cell::text(j.justification),
                    Cell::opt(&j.platform),
                    Cell::opt(&j.site),
                    Cell::opt(&j.install_id),
                    Cell::opt(&j.user_hint),
                ]);
            }
            table
        }
        "rings" => {
            let mut table = Table {
                params: Params::default(),
                ..t(
                    "rings",
                    "Rings".into(),
                    vec!["Ring", "Policy", "Version", "Since", "Set by"],
                    "No ring serves a bundle yet: upload one and set a ring.",
                )
            };
            for r in store.rings().await? {
                table.rows.push(vec![
                    Cell::text(r.ring),
                    Cell::text(r.bundle.policy_id),
                    Cell::text(r.bundle.version),
                    Cell::Time(r.updated_ms),
                    Cell::text(r.updated_by),
                ]);
            }
            table
        }
        "bundles" => {
            let mut table = Table {
                params: Params::default(),
                ..t(
                    "bundles",
                    "Uploaded bundles".into(),
                    vec![
                        "Policy",
                        "Version",
                        "Issued",
                        "Expires",
                        "Signed by",
                        "Uploaded by",
                        "Uploaded",
                    ],
                    "No bundle uploaded yet.",
                )
            };
            for b in store.bundles().await?.into_iter().rev() {
                table.rows.push(vec![
                    Cell::text(b.policy_id),
                    Cell::text(b.version),
                    Cell::text(b.issued_at),
                    Cell::text(b.expires_at),
                    Cell::text(b.signed_by),
                    Cell::text(b.uploaded_by),
                    Cell::Time(b.uploaded_ms),
                ]);
            }
            table
        }
        "fleet" => {
            let mut table = t(
                "fleet",
                format!("Installs per ring and policy version, seen in the last {days} days"),
                vec!["Ring", "Policy", "Version", "Installs"],
                "No install has reported in this window.",
            );
            for r in store.fleet(from).await? {
                table.rows.push(vec![
                    Cell::text(r.ring),
                    Cell::text(r.policy_id),
                    Cell::text(r.policy_version),
                    Cell::Num(r.installs),
                ]);
            }
            table
        }
        "browsers" => {
            let mut table = t(
                "browsers",
                format!("Browsers and extension versions, last {days} days"),
                vec![
                    "Browser",
                    "Browser version",
                    "Extension version",
                    "Installs",
                ],
                "No install has reported in this window.",
            );
            for r in store.fleet_browsers(from).await? {
                table.rows.push(vec![
                    Cell::text(r.browser),
                    Cell::text(r.browser_version),
                    Cell::text(r.extension_version),
                    Cell::Num(r.installs),
                ]);
            }
            table
        }
        "refusals" => {
            let mut table = t(
                "refusals",
                format!("Bundles refused by browsers, by code, last {days} days"),
                vec!["Code", "Events", "Installs"],
                "No browser refused a bundle in this window.",
            );
            for r in store.refusals(from).await? {
                table.rows.push(vec![
                    Cell::text(r.code),
                    Cell::Num(r.events),
                    Cell::Num(r.installs),
                ]);
            }
            table
        }
        "dropped" => {
            let mut table = t(
                "dropped",
                format!("Events lost to full browser queues, reported in the last {days} days"),
                vec!["Ring", "Events dropped", "Installs", "Batches"],
                "No browser reported dropped events in this window.",
            );
            for r in store.dropped(from).await? {
                table.rows.push(vec![
                    Cell::text(r.ring),
                    Cell::Num(r.dropped),
                    Cell::Num(r.installs),
                    Cell::Num(r.batches),
                ]);
            }
            table
        }
        "platforms" => {
            let mut table = t(
                "platforms",
                format!("Where findings happen, last {days} days"),
                vec![
                    "Platform",
                    "Site",
                    "Blocked",
                    "Overrides",
                    "Monitor hits",
                    "Installs",
                ],
                "No finding in this window.",
            );
            for r in store.platforms(from).await? {
                table.rows.push(vec![
                    Cell::text(r.platform),
                    Cell::text(r.site),
                    Cell::Num(r.blocked),
                    Cell::Num(r.overrides),
                    Cell::Num(r.monitor),
                    Cell::Num(r.installs),
                ]);
            }
            table
        }
        "library" => {
            let mut table = t(
                "library",
                format!("Approved posts used, last {days} days"),
                vec!["Approved post", "Uses", "Inserted", "Copied", "Installs"],
                "No approved post was used in this window.",
            );
            for r in store.library_usage(from).await? {
                table.rows.push(vec![
                    Cell::text(r.entry),
                    Cell::Num(r.uses),
                    Cell::Num(r.inserts),
                    Cell::Num(r.copies),
                    Cell::Num(r.installs),
                ]);
            }
            table
        }
        "library-platforms" => {
            let mut table = t(
                "library-platforms",
                format!("Approved posts per platform, last {days} days"),
                vec!["Approved post", "Platform", "Uses", "Installs"],
                "No approved post was used in this window.",
            );
            for r in store.library_usage(from).await? {
                for pl in r.platforms {
                    table.rows.push(vec![
                        Cell::text(r.entry.clone()),
                        Cell::text(pl.platform),
                        Cell::Num(pl.uses),
                        Cell::Num(pl.installs),
                    ]);
                }
            }
            table
        }
        "activity" => {
            let mut table = Table {
                params: Params::default(),
                ..t(
                    "activity",
                    "Admin activity".into(),
                    vec!["Time", "Who", "Action", "Detail"],
                    "Nothing yet.",
                )
            };
            for a in store.activity(1000).await? {
                table.rows.push(vec![
                    Cell::Time(a.time_ms),
                    Cell::text(a.actor),
                    Cell::text(a.action),
                    Cell::text(a.detail),
                ]);
            }
            table
        }
        other => {
            return Err(Error::not_found(format!(
                "no table `{other}`; the tables are {}",
                NAMES.join(", ")
            )));
        }
    };
    Ok(table)
}

/// One rule's days in the window, oldest first.
pub async fn rule_days<S: Store>(store: &S, rule: &str, from: i64) -> Result<Vec<RuleDay>> {
    Ok(store
        .rule_days(from, i64::MAX)
        .await?
        .into_iter()
        .filter(|d| d.rule == rule)
        .collect())
}

/// "If we enforced it": a monitor rule's posts and people over 7 and 30 days.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pilot {
    pub rule: String,
    pub posts7: i64,
    pub people7: i64,
    pub posts30: i64,
    pub people30: i64,
}

pub async fn pilot<S: Store>(store: &S, rule: Option<&str>, now: i64) -> Result<Vec<Pilot>> {
    let week = store.pilot_impact(now - 7 * DAY_MS).await?;
    let month = store.pilot_impact(now - 30 * DAY_MS).await?;
    Ok(month
        .into_iter()
        .filter(|m| rule.is_none_or(|r| r == m.rule))
        .map(|m| {
            let w = week.iter().find(|w| w.rule == m.rule);
            Pilot {
                posts7: w.map_or(0, |w| w.posts),
                people7: w.map_or(0, |w| w.installs),
                posts30: m.posts,
                people30: m.installs,
                rule: m.rule,
            }
        })
        .collect())
}

/// A chart's data: one point per day of the window (0 where nothing happened).
pub fn chart(days: &[RuleDay], window: i64, now: i64) -> serde_json::Value {
    let last = now.div_euclid(DAY_MS);
    let all: Vec<i64> = (last - window + 1..=last).collect();
    let mut blocked = vec![0i64; all.len()];
    let mut overrides = vec![0i64; all.len()];
    let mut monitor = vec![0i64; all.len()];
    for d in days {
        if let Some(i) = all.iter().position(|n| day_name(*n) == d.day) {
            blocked[i] += d.blocked;
            overrides[i] += d.overrides;
            monitor[i] += d.monitor;
        }
    }
    serde_json::json!({
        "x": all.iter().map(|d| d * DAY_MS / 1000).collect::<Vec<_>>(),
        "series": [
            {"label": "Blocked", "color": "#b3261e", "values": blocked},
            {"label": "Overrides", "color": "#e08a00", "values": overrides},
            {"label": "Monitor hits", "color": "#1f5fbf", "values": monitor},
        ],
    })
}
