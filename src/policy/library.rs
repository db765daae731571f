//! The approved content library: posts the compliance team has approved, which employees
//! insert into a composer in one click. This module is the language half: how entries
//! layer through `extends` (the same id replaces the whole entry, `enabled: false`
//! removes it), how they are validated (errors name the file, line, column and entry),
//! and what the placeholders in an entry's text are. An entry as written is
//! [`EntrySpec`]; its fields are documented in
//! [`ENTRY_FIELDS`](super::fields::ENTRY_FIELDS), next to the rules'. Whether an entry
//! passes the policy is [`crate::approval`]'s job.
//!
//! ```yaml
//! library:
//!   - id: launch-pay
//!     title: "Launch: Acme Pay"
//!     text: "Acme Pay is live! Read about it at {link} #AcmeEmployee"
//!     link: https://acme.example/pay
//!     platforms: [linkedin, x]
//!     tags: [launch, product]
//!     lang: en
//!     active: { from: 2026-11-01, until: 2026-12-31 }
//!     note: Approved by J. Doe, ticket COMP-123.
//! ```

use std::collections::{HashMap, HashSet};
use std::ops::Range;

use serde::Serialize;

use super::locator::{Layer, Locator};
use super::spec::EntrySpec;
use super::validate::{self, is_valid_id};
use super::{Origin, Platform, Window};
use crate::date::Date;
use crate::error::{Error, ErrorKind};

/// Placeholders an entry's `text` may contain, with what the employee puts there. `{link}`
/// is filled in from the entry's `link` when it has one; the others are left in the text,
/// and selected after insertion so the employee types over them.
pub const PLACEHOLDERS: &[(&str, &str)] = &[
    (
        "link",
        "a link: the entry's `link` when given, else one the employee pastes",
    ),
    (
        "name",
        "a person's name (a colleague, a speaker, a new hire)",
    ),
    ("team", "the employee's team or department"),
    ("role", "a job title"),
    ("date", "a day or date"),
    ("place", "a place: a city, an office, a venue"),
    ("event", "the name of an event"),
];

/// Longest entry text accepted, in characters (the longest post any platform takes is
/// Facebook's 63,206).
pub const MAX_TEXT_CHARS: usize = 63_206;

/// A validated library entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Entry {
    pub id: String,
    pub title: String,
    /// The text as written, placeholders included.
    pub text: String,
    pub link: Option<String>,
    /// `None`: every platform.
    pub platforms: Option<Vec<Platform>>,
    pub tags: Vec<String>,
    pub lang: Option<String>,
    pub active: Option<Window>,
    pub note: Option<String>,
    /// Where the entry was (last) defined.
    pub origin: Origin,
}

/// A placeholder left in an entry's filled-in text, for the employee to type over.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Placeholder {
    pub name: String,
    /// Byte range of `{name}` in [`Filled::text`].
    #[serde(skip)]
    pub span: Range<usize>,
}

/// An entry's text as it is inserted: `{link}` filled in, the other placeholders left.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Filled {
    pub text: String,
    pub placeholders: Vec<Placeholder>,
}

impl Entry {
    /// Whether the entry is offered on `platform`.
    pub fn offered_on(&self, platform: Platform) -> bool {
        self.platforms
            .as_ref()
            .is_none_or(|ps| ps.contains(&platform))
    }

    /// Whether the entry is offered on `date`.
    pub fn active_on(&self, date: Date) -> bool {
        self.active.is_none_or(|w| w.contains(date))
    }

    /// The platforms it is offered on (every platform when it does not say).
    pub fn platform_list(&self) -> Vec<Platform> {
        self.platforms
            .clone()
            .unwrap_or_else(|| Platform::ALL.to_vec())
    }

    /// The text as inserted: `{link}` replaced by `link` (when given), and where the
    /// placeholders left in it are.
    pub fn filled(&self) -> Filled {
        let mut text = String::with_capacity(self.text.len());
        let mut placeholders = Vec::new();
        let mut last = 0;
        for (span, name) in scan(&self.text) {
            text.push_str(&self.text[last..span.start]);
            match (&self.link, name) {
                (Some(link), "link") => text.push_str(link),
                _ => {
                    let start = text.len();
                    text.push_str(&self.text[span.clone()]);
                    placeholders.push(Placeholder {
                        name: name.to_string(),
                        span: start..text.len(),
                    });
                }
            }
            last = span.end;
        }
        text.push_str(&self.text[last..]);
        Filled { text, placeholders }
    }
}

/// Every `{word}` in `text` (a word of ASCII letters, digits and `_`), with its byte range
/// and the word. Whether the word is a known placeholder is validation's business.
pub fn scan(text: &str) -> Vec<(Range<usize>, &str)> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut i = 0;
    while let Some(open) = text[i..].find('{').map(|o| o + i) {
        let name_end = bytes[open + 1..]
            .iter()
            .position(|b| !(b.is_ascii_alphanumeric() || *b == b'_'))
            .map_or(bytes.len(), |p| open + 1 + p);
        if name_end > open + 1 && bytes.get(name_end) == Some(&b'}') {
            out.push((open..name_end + 1, &text[open + 1..name_end]));
            i = name_end + 1;
        } else {
            i = open + 1;
        }
    }
    out
}

fn is_lang_tag(s: &str) -> bool {
    let mut parts = s.split('-');
    let first = parts.next().unwrap_or("");
    (2..=3).contains(&first.len())
        && first.bytes().all(|b| b.is_ascii_alphabetic())
        && parts.all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()))
}

/// Merges the `library:` lists of every layer, base first, and validates what remains.
/// Entries keep the order in which their id was first defined.
pub(crate) fn load(layers: &[Layer]) -> Result<Vec<Entry>, Error> {
    let mut order: Vec<String> = Vec::new();
    // id → (layer, index) of the definition in force.
    let mut current: HashMap<String, (usize, usize)> = HashMap::new();
    for (li, layer) in layers.iter().enumerate() {
        let mut ids = HashSet::new();
        for (i, e) in layer.spec.library.iter().enumerate() {
            let fail = |kind: ErrorKind, msg: String| {
                let loc = Locator {
                    layers,
                    section: "library",
                    provenance: &[(li, i)],
                };
                let (file, pos) = loc.at(Some("id"));
                Err(Error::new(kind, format!("library entry `{}`: {msg}", e.id))
                    .with_file(file)
                    .with_position(pos))
            };
            if !is_valid_id(&e.id) {
                return fail(
                    ErrorKind::InvalidValue,
                    "an entry id must be letters, digits, `_`, `-` or `.`".into(),
                );
            }
            if !ids.insert(e.id.clone()) {
                return fail(
                    ErrorKind::Duplicate,
                    "duplicate library entry id in this file".into(),
                );
            }
            if e.enabled == Some(false) {
                if current.remove(&e.id).is_none() {
                    return fail(
                        ErrorKind::NotFound,
                        "`enabled: false` removes an entry of a base policy, but no base policy has an entry with this id".into(),
                    );
                }
                order.retain(|x| *x != e.id);
                continue;
            }
            if current.insert(e.id.clone(), (li, i)).is_none() {
                order.push(e.id.clone());
            }
        }
    }
    order
        .iter()
        .map(|id| {
            let (li, i) = current[id];
            entry(&layers[li].spec.library[i], layers, (li, i))
        })
        .collect()
}

/// Validates one entry, written at `at` (layer, index).
fn entry(spec: &EntrySpec, layers: &[Layer], at: (usize, usize)) -> Result<Entry, Error> {
    let provenance = [at];
    let loc = Locator {
        layers,
        section: "library",
        provenance: &provenance,
    };
    let err = |field: Option<&str>, kind: ErrorKind, msg: String| {
        let (file, pos) = loc.at(field);
        Error::new(kind, format!("library entry `{}`: {msg}", spec.id))
            .with_file(file)
            .with_position(pos)
    };
    let required = |value: &Option<String>, field: &str| -> Result<String, Error> {
        match value.as_deref().map(str::trim) {
            Some(v) if !v.is_empty() => Ok(v.to_string()),
            Some(_) => Err(err(
                Some(field),
                ErrorKind::InvalidValue,
                format!("`{field}` is empty"),
            )),
            None => Err(err(
                None,
                ErrorKind::MissingField,
                format!("an entry needs `{field}`"),
            )),
        }
    };
    let title = required(&spec.title, "title")?;
    let text = required(&spec.text, "text")?;
    if text.chars().count() > MAX_TEXT_CHARS {
        return Err(err(
            Some("text"),
            ErrorKind::Limit,
            format!(
                "`text` is longer than {MAX_TEXT_CHARS} characters, more than any platform takes"
            ),
        ));
    }
    let found = scan(&text);
    for (_, name) in &found {
        if !PLACEHOLDERS.iter().any(|(p, _)| p == name) {
            return Err(err(
                Some("text"),
                ErrorKind::InvalidValue,
                format!(
                    "unknown placeholder `{{{name}}}` in `text`; known: {}",
                    PLACEHOLDERS
                        .iter()
                        .map(|(p, _)| format!("{{{p}}}"))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            ));
        }
    }
    let link = match spec.link.as_deref().map(str::trim) {
        None => None,
        Some(l) => {
            let ok = (l.starts_with("https://") || l.starts_with("http://"))
                && l.len() > "https://".len()
                && !l.contains(|c: char| c.is_whitespace() || c == '{' || c == '}');
            if !ok {
                return Err(err(
                    Some("link"),
                    ErrorKind::InvalidValue,
                    format!("`link` `{l}` must be an http:// or https:// URL without spaces"),
                ));
            }
            if !found.iter().any(|(_, n)| *n == "link") {
                return Err(err(
                    Some("link"),
                    ErrorKind::InvalidValue,
                    "`link` is given but `text` has no `{link}` to put it in".into(),
                ));
            }
            Some(l.to_string())
        }
    };
    let platforms = match &spec.platforms {
        None => None,
        Some(ps) if ps.is_empty() => {
            return Err(err(
                Some("platforms"),
                ErrorKind::InvalidValue,
                "`platforms` is empty; leave it out to offer the entry on every platform".into(),
            ));
        }
        Some(ps) => Some(
            ps.iter()
                .map(|p| Platform::parse(p).map_err(|e| err(Some("platforms"), e.kind, e.message)))
                .collect::<Result<Vec<_>, _>>()?,
        ),
    };
    let mut tags = Vec::new();
    for t in spec.tags.iter().flatten() {
        let t = t.trim();
        if t.is_empty() {
            return Err(err(
                Some("tags"),
                ErrorKind::InvalidValue,
                "`tags` has an empty tag".into(),
            ));
        }
        tags.push(t.to_string());
    }
    let lang = match spec.lang.as_deref().map(str::trim) {
        Some(l) if !is_lang_tag(l) => {
            return Err(err(
                Some("lang"),
                ErrorKind::InvalidValue,
                format!("`lang` `{l}` is not a language tag such as `en` or `de-CH`"),
            ));
        }
        other => other.map(str::to_string),
    };
    let active = spec
        .active
        .as_ref()
        .map(validate::window)
        .transpose()
        .map_err(|e| err(Some("active"), e.kind, e.message))?;
    let (file, position) = loc.at(None);
    Ok(Entry {
        id: spec.id.clone(),
        title,
        text,
        link,
        platforms,
        tags,
        lang,
        active,
        note: spec.note.clone(),
        origin: Origin { file, position },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Policy;
    use crate::error::Position;
    use crate::policy::fields::ENTRY_FIELDS;
    use crate::policy::{EmbeddedResolver, Source, load as load_policy};

    fn policy(yaml: &str) -> Result<Policy, Error> {
        Policy::from_yaml("p.yaml", yaml)
    }

    fn err(yaml: &str) -> Error {
        policy(yaml).expect_err("the policy is refused")
    }

    const ONE: &str = "policy: p\nlibrary:\n  - id: launch\n    title: Launch\n    text: \"Our app is live: {link} Say hi, {name}!\"\n    link: https://acme.example/app\n    platforms: [linkedin, x]\n    tags: [launch, product]\n    lang: en-GB\n    active: {from: 2026-11-01, until: 2026-12-31}\n    note: COMP-1\n";

    #[test]
    fn parses_every_field() {
        let p = policy(ONE).unwrap();
        let e = &p.library[0];
        assert_eq!(e.id, "launch");
        assert_eq!(e.title, "Launch");
        assert_eq!(e.link.as_deref(), Some("https://acme.example/app"));
        assert_eq!(e.platforms, Some(vec![Platform::Linkedin, Platform::X]));
        assert_eq!(e.tags, ["launch", "product"]);
        assert_eq!(e.lang.as_deref(), Some("en-GB"));
        assert_eq!(e.note.as_deref(), Some("COMP-1"));
        assert!(e.active_on(Date::parse("2026-11-01").unwrap()));
        assert!(!e.active_on(Date::parse("2027-01-01").unwrap()));
        assert!(e.offered_on(Platform::X) && !e.offered_on(Platform::Reddit));
        assert_eq!(e.origin.position, Some(Position { line: 3, column: 9 }));
    }

    #[test]
    fn link_is_filled_in_and_other_placeholders_are_left_with_their_spans() {
        let f = policy(ONE).unwrap().library[0].filled();
        assert_eq!(
            f.text,
            "Our app is live: https://acme.example/app Say hi, {name}!"
        );
        assert_eq!(f.placeholders.len(), 1);
        assert_eq!(f.placeholders[0].name, "name");
        assert_eq!(&f.text[f.placeholders[0].span.clone()], "{name}");
    }

    #[test]
    fn without_a_link_the_link_placeholder_stays_for_the_employee() {
        let p = policy(
            "policy: p\nlibrary:\n  - {id: a, title: A, text: \"Café at {place}: {link}\"}\n",
        )
        .unwrap();
        let f = p.library[0].filled();
        assert_eq!(f.text, "Café at {place}: {link}");
        let names: Vec<_> = f.placeholders.iter().map(|p| p.name.as_str()).collect();
        assert_eq!(names, ["place", "link"]);
        assert_eq!(&f.text[f.placeholders[0].span.clone()], "{place}");
    }

    #[test]
    fn braces_that_are_not_placeholders_are_text() {
        assert_eq!(scan("a {} b { c} {d e} {ok}"), vec![(18..22, "ok")]);
        assert_eq!(scan("{{name}}"), vec![(1..7, "name")]);
        assert!(scan("trailing {").is_empty());
    }

    fn assert_at(e: &Error, line: usize, column: usize, needle: &str) {
        assert_eq!(e.file.as_deref(), Some("p.yaml"), "{e}");
        assert_eq!(e.position, Some(Position { line, column }), "{e}");
        assert!(e.message.contains(needle), "{e}");
    }

    #[test]
    fn errors_name_the_entry_and_point_at_the_field() {
        let e = err("policy: p\nlibrary:\n  - id: a\n    title: A\n    text: \"Hi {nmae}\"\n");
        assert_at(&e, 5, 11, "library entry `a`: unknown placeholder `{nmae}`");
        assert_eq!(e.kind, ErrorKind::InvalidValue);

        let e = err(
            "policy: p\nlibrary:\n  - id: a\n    title: A\n    text: Hi\n    platforms: [x, myspace]\n",
        );
        assert_at(&e, 6, 16, "unknown platform `myspace`");

        let e = err(
            "policy: p\nlibrary:\n  - id: a\n    title: A\n    text: Hi\n    link: https://a.example\n",
        );
        assert_at(&e, 6, 11, "has no `{link}`");

        let e = err(
            "policy: p\nlibrary:\n  - id: a\n    title: A\n    text: Hi\n    active: {from: 2026-12-01, until: 2026-11-01}\n",
        );
        assert_at(&e, 6, 13, "starts (2026-12-01) after it ends");

        let e =
            err("policy: p\nlibrary:\n  - id: a\n    title: A\n    text: Hi\n    lang: english\n");
        assert_at(&e, 6, 11, "not a language tag");

        let e = err("policy: p\nlibrary:\n  - id: a\n    text: Hi\n");
        assert_at(&e, 3, 9, "an entry needs `title`");
        assert_eq!(e.kind, ErrorKind::MissingField);

        let e = err(
            "policy: p\nlibrary:\n  - {id: a, title: A, text: Hi}\n  - {id: a, title: B, text: Ho}\n",
        );
        assert_eq!(e.kind, ErrorKind::Duplicate);
        assert_at(&e, 4, 10, "duplicate library entry id");
    }

    #[test]
    fn an_unknown_field_suggests_the_right_one() {
        let e = err("policy: p\nlibrary:\n  - id: a\n    titel: A\n    text: Hi\n");
        assert_eq!(e.kind, ErrorKind::UnknownField);
        assert_at(&e, 4, 5, "unknown field `titel` (did you mean `title`?)");
        assert!(e.to_string().contains("library entry `a`"), "{e}");
    }

    #[test]
    fn overlays_replace_by_id_and_remove_with_enabled_false() {
        let base = "policy: base\nlibrary:\n  - {id: a, title: A, text: Alpha}\n  - {id: b, title: B, text: Beta}\n  - {id: c, title: C, text: Gamma}\n";
        let top = "policy: top\nextends: [base]\nlibrary:\n  - {id: b, enabled: false}\n  - {id: a, title: A2, text: Alpha two}\n  - {id: d, title: D, text: Delta}\n";
        struct Base(&'static str);
        impl crate::policy::Resolver for Base {
            fn resolve(&self, _id: &str, _from: &Source) -> Result<Source, Error> {
                Ok(Source::new("base.yaml", self.0))
            }
        }
        let p = load_policy(&[Source::new("top.yaml", top)], &Base(base)).unwrap();
        let got: Vec<(&str, &str, &str)> = p
            .library
            .iter()
            .map(|e| (e.id.as_str(), e.text.as_str(), e.origin.file.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("a", "Alpha two", "top.yaml"),
                ("c", "Gamma", "base.yaml"),
                ("d", "Delta", "top.yaml")
            ]
        );

        let e = load_policy(
            &[Source::new(
                "top.yaml",
                "policy: top\nlibrary:\n  - {id: zz, enabled: false}\n",
            )],
            &EmbeddedResolver,
        )
        .unwrap_err();
        assert_eq!(e.kind, ErrorKind::NotFound);
        assert!(e.message.contains("no base policy has an entry"), "{e}");
    }

    /// Every field in the table is one `EntrySpec` accepts (it denies unknown fields), and
    /// every field `EntrySpec` has is in the table.
    #[test]
    fn the_field_table_and_the_spec_agree() {
        let mut obj = serde_json::Map::new();
        for f in ENTRY_FIELDS {
            let v = match f.name {
                "enabled" => serde_json::json!(true),
                "platforms" | "tags" => serde_json::json!([]),
                "active" => serde_json::json!({}),
                _ => serde_json::json!("x"),
            };
            obj.insert(f.name.into(), v);
        }
        let spec: EntrySpec = serde_json::from_value(obj.into()).expect("every field accepted");
        let EntrySpec {
            id: _,
            enabled,
            title,
            text,
            link,
            platforms,
            tags,
            lang,
            active,
            note,
        } = spec;
        assert!(enabled.is_some() && title.is_some() && text.is_some() && link.is_some());
        assert!(platforms.is_some() && tags.is_some() && lang.is_some());
        assert!(active.is_some() && note.is_some());
    }
}
