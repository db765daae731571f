//! `draftguard library POLICY`: the approved posts a policy offers, for people (human) or
//! programs (JSON, the shape of [`draftguard::offer`]).

use std::path::PathBuf;

use draftguard::offer::{self, offered};
use draftguard::report::Units;
use draftguard::{Date, Error, Platform, Policy};

pub struct Args {
    pub policies: Vec<PathBuf>,
    pub platform: Option<Platform>,
    /// `None`: every entry, whatever its window.
    pub date: Option<Date>,
    pub json: bool,
}

pub fn run(a: Args) -> Result<u8, Error> {
    let policy = Policy::from_files(&a.policies)?;
    let entries: Vec<_> = offered(&policy, a.platform, a.date).collect();
    if a.json {
        let list: Vec<_> = entries.iter().map(|e| offer::json(e, Units::All)).collect();
        let doc = serde_json::json!({
            "policy": policy.id,
            "platform": a.platform.map(Platform::name),
            "date": a.date.map(|d| d.to_string()),
            "entries": list,
        });
        crate::outln(&serde_json::to_string_pretty(&doc).expect("a listing serializes"));
        return Ok(0);
    }
    for e in &entries {
        let mut about = Vec::new();
        about.push(match &e.platforms {
            Some(ps) => ps.iter().map(|p| p.name()).collect::<Vec<_>>().join(", "),
            None => "every platform".to_string(),
        });
        if !e.tags.is_empty() {
            about.push(format!("tags: {}", e.tags.join(", ")));
        }
        if let Some(l) = &e.lang {
            about.push(format!("lang: {l}"));
        }
        if let Some(w) = e.active {
            let d = |d: Option<Date>| d.map(|d| d.to_string()).unwrap_or_default();
            about.push(format!("active: {}..{}", d(w.from), d(w.until)));
        }
        crate::outln(&format!("{}  {}  [{}]", e.id, e.title, about.join("; ")));
        for line in e.filled().text.lines() {
            crate::outln(&format!("    {line}"));
        }
        if let Some(n) = &e.note {
            crate::outln(&format!("    (note: {n})"));
        }
        crate::outln("");
    }
    let mut scope = Vec::new();
    if let Some(p) = a.platform {
        scope.push(format!("on {}", p.name()));
    }
    if let Some(d) = a.date {
        scope.push(format!("on {d}"));
    }
    crate::outln(&format!(
        "{}: {} of {} approved post{}{}{}",
        policy.id,
        entries.len(),
        policy.library.len(),
        if policy.library.len() == 1 { "" } else { "s" },
        if scope.is_empty() { "" } else { " offered " },
        scope.join(" ")
    ));
    Ok(0)
}
