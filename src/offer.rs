//! What employees are offered from the approved content library: the entries for a
//! platform on a day, and each as JSON with its text as inserted and where its
//! placeholders are. The one serializer behind `draftguard library --format json` and
//! the wasm engine's `library` (the extension's popup tab and composer button).
//!
//! ```json
//! { "id": "launch", "title": "Launch", "text": "Live now: https://acme.example {name}",
//!   "link": "https://acme.example", "platforms": ["linkedin"], "tags": ["launch"],
//!   "lang": "en", "active": { "from": "2026-11-01", "until": null },
//!   "placeholders": [{ "name": "name", "start": 31, "end": 37 }] }
//! ```
//!
//! Placeholder spans are UTF-16 code units (`start`/`end`) for the wasm API and
//! `span: { bytes, chars, utf16, line, column }` for the CLI, as findings are
//! ([`crate::report`]). Authors' `note`s are never offered.

use serde::Serialize;

use crate::date::Date;
use crate::offsets::points;
use crate::policy::library::Entry;
use crate::policy::{Platform, Policy};
use crate::report::{At, Units};

/// The entries offered on `platform` (any, when `None`) on `date` (any, when `None`), in
/// the policy's order.
pub fn offered(
    policy: &Policy,
    platform: Option<Platform>,
    date: Option<Date>,
) -> impl Iterator<Item = &Entry> {
    policy.library.iter().filter(move |e| {
        platform.is_none_or(|p| e.offered_on(p)) && date.is_none_or(|d| e.active_on(d))
    })
}

/// One entry as JSON (see the module documentation).
#[derive(Debug, Clone, Serialize)]
pub struct EntryJson<'a> {
    pub id: &'a str,
    pub title: &'a str,
    /// The text as inserted: `{link}` filled in.
    pub text: String,
    pub link: Option<&'a str>,
    /// `null`: every platform.
    pub platforms: Option<Vec<&'static str>>,
    pub tags: &'a [String],
    pub lang: Option<&'a str>,
    pub active: Option<ActiveJson>,
    pub placeholders: Vec<PlaceholderJson>,
}

#[derive(Debug, Clone, Serialize)]
pub struct ActiveJson {
    pub from: Option<String>,
    pub until: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub struct PlaceholderJson {
    pub name: String,
    #[serde(flatten)]
    at: At,
}

/// `entry` as JSON, placeholder spans in `units`.
pub fn json(entry: &Entry, units: Units) -> EntryJson<'_> {
    let filled = entry.filled();
    let ends: Vec<usize> = filled
        .placeholders
        .iter()
        .flat_map(|p| [p.span.start, p.span.end])
        .collect();
    let pts = points(&filled.text, &ends);
    let placeholders = filled
        .placeholders
        .iter()
        .enumerate()
        .map(|(i, p)| PlaceholderJson {
            name: p.name.clone(),
            at: At::new(units, pts[2 * i], pts[2 * i + 1]),
        })
        .collect();
    EntryJson {
        id: &entry.id,
        title: &entry.title,
        text: filled.text,
        link: entry.link.as_deref(),
        platforms: entry
            .platforms
            .as_ref()
            .map(|ps| ps.iter().map(|p| p.name()).collect()),
        tags: &entry.tags,
        lang: entry.lang.as_deref(),
        active: entry.active.map(|w| ActiveJson {
            from: w.from.map(|d| d.to_string()),
            until: w.until.map(|d| d.to_string()),
        }),
        placeholders,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const P: &str = "policy: p\nlibrary:\n  - {id: a, title: A, text: 'Café 🚀 {name} at {link}', link: 'https://acme.example', platforms: [x], tags: [t], lang: fr, active: {from: 2026-11-01}, note: secret}\n  - {id: b, title: B, text: 'Hi {team}', active: {until: 2026-11-30}}\n";

    #[test]
    fn offers_by_platform_and_day() {
        let p = Policy::from_yaml("p.yaml", P).unwrap();
        let ids = |pl: Option<Platform>, d: Option<&str>| {
            offered(&p, pl, d.map(|d| Date::parse(d).unwrap()))
                .map(|e| e.id.as_str())
                .collect::<Vec<_>>()
        };
        assert_eq!(ids(None, None), ["a", "b"]);
        assert_eq!(ids(Some(Platform::X), Some("2026-11-15")), ["a", "b"]);
        assert_eq!(ids(Some(Platform::Linkedin), Some("2026-11-15")), ["b"]);
        assert_eq!(ids(Some(Platform::X), Some("2026-10-31")), ["b"]);
        assert_eq!(ids(Some(Platform::X), Some("2026-12-01")), ["a"]);
    }

    #[test]
    fn json_has_the_inserted_text_and_utf16_placeholders_and_no_note() {
        let p = Policy::from_yaml("p.yaml", P).unwrap();
        let v = serde_json::to_value(json(&p.library[0], Units::Utf16)).unwrap();
        assert_eq!(
            v,
            json!({
                "id": "a", "title": "A", "text": "Café 🚀 {name} at https://acme.example",
                "link": "https://acme.example", "platforms": ["x"], "tags": ["t"], "lang": "fr",
                "active": {"from": "2026-11-01", "until": null},
                "placeholders": [{"name": "name", "start": 8, "end": 14}],
            })
        );
        let v = serde_json::to_value(json(&p.library[0], Units::All)).unwrap();
        assert_eq!(
            v["placeholders"][0]["span"],
            json!({"bytes": [11, 17], "chars": [7, 13], "utf16": [8, 14], "line": 1, "column": 8})
        );
    }
}
