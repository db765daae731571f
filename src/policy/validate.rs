//! Checks a merged rule spec and turns it into a [`Rule`]; checks a layer's tests.
//!
//! What every rule shares is checked here: the fields belong to its kind and the required
//! ones are given (both from the table in [`super::fields`]), `evasion`, `platforms`,
//! `active`, `message`, `unless` and `suggest`. What a kind's own fields mean is checked by
//! the kind's module under `rules/`, which gets a [`Fields`] to read them and to point its
//! errors at them.

use std::collections::HashSet;

use serde_json::Value;

use super::fields::{self, FIELDS, RuleSpec};
use super::locator::{Layer, Locator};
use super::{
    Body, Evasion, Kind, Mode, Origin, Platform, Rule, Severity, Suggest, TestCase, Window,
    phrase_profile,
};
use crate::date::Date;
use crate::error::{Error, ErrorKind};
use crate::normalize::{self, Profile};

/// Longest phrase accepted, in bytes.
pub const MAX_PHRASE_LEN: usize = 512;

/// Placeholders a `message` may use.
pub const PLACEHOLDERS: &[&str] = &["match", "rule", "detail"];

pub fn is_valid_id(id: &str) -> bool {
    !id.is_empty()
        && id.len() <= 128
        && id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'_' | b'-' | b'.'))
}

pub fn policy_id(id: &str) -> Result<(), Error> {
    let ok = !id.is_empty()
        && id.len() <= 128
        && id
            .bytes()
            .next()
            .is_some_and(|b| b.is_ascii_lowercase() || b.is_ascii_digit())
        && id.bytes().all(|b| {
            b.is_ascii_lowercase() || b.is_ascii_digit() || matches!(b, b'_' | b'-' | b'.')
        });
    if ok {
        Ok(())
    } else {
        Err(Error::new(
            ErrorKind::InvalidValue,
            format!(
                "policy id `{id}` must start with a lower-case letter or digit and use only a-z, 0-9, `.`, `_` and `-`"
            ),
        ))
    }
}

/// A merged rule being validated: its fields as written (merged across layers), its kind
/// and evasion, and where each field was written, so a kind's module can read its fields
/// and point an error at the one that is wrong.
pub struct Fields<'a> {
    /// The rule's fields, merged across layers.
    pub spec: &'a RuleSpec,
    pub kind: Kind,
    pub evasion: Evasion,
    /// The rule is exactly as the embedded default policy has it, read from its build-time
    /// form (the wasm engine's start-up): a test validates the same rules from the YAML, so
    /// a kind may skip checks that only cost start-up time, such as compiling a pattern.
    pub trusted: bool,
    loc: &'a Locator<'a>,
}

impl Fields<'_> {
    /// Points `e` at `field` of this rule (at the rule itself for `None`): file, line,
    /// column and rule id.
    pub fn at(&self, field: Option<&str>, e: Error) -> Error {
        let (file, pos) = self.loc.at(field);
        e.with_file(file)
            .with_position(pos)
            .with_rule(&self.spec.id)
    }

    /// An error of `kind` about `field` of this rule.
    pub fn err(&self, field: Option<&str>, kind: ErrorKind, msg: impl Into<String>) -> Error {
        self.at(field, Error::new(kind, msg))
    }

    /// The value of a field the kind requires ([`super::fields::Field::required_for`]
    /// makes sure it is there).
    pub fn required<'v, T>(&self, value: &'v Option<T>, field: &str) -> Result<&'v T, Error> {
        value.as_ref().ok_or_else(|| {
            self.err(
                None,
                ErrorKind::MissingField,
                format!("`{}` rules need `{field}`", self.kind.name()),
            )
        })
    }

    /// A list field's items; an absent list is empty.
    pub fn list<'v>(&self, value: &'v Option<Vec<String>>) -> &'v [String] {
        value.as_deref().unwrap_or(&[])
    }

    /// A phrase list field (`phrases`, `a`, `when`, ...): at least one phrase, none too
    /// long, none that normalizes to nothing under the rule's evasion.
    pub fn phrases(&self, field: &str, value: &Option<Vec<String>>) -> Result<Vec<String>, Error> {
        let items = self.list(value);
        if items.is_empty() {
            return Err(self.err(
                Some(field),
                ErrorKind::InvalidValue,
                format!("`{field}` must list at least one phrase"),
            ));
        }
        // The embedded default's phrases were checked when its tests loaded it; this loop
        // normalizes every phrase: 0.86 M of the 6.5 M instructions of a (native) start-up.
        if self.trusted {
            return Ok(items.to_vec());
        }
        let profile = phrase_profile(self.evasion);
        for p in items {
            if p.len() > MAX_PHRASE_LEN {
                return Err(self.err(
                    Some(field),
                    ErrorKind::Limit,
                    format!("a phrase in `{field}` is longer than {MAX_PHRASE_LEN} bytes"),
                ));
            }
            if normalize::phrase(p, profile).is_empty() {
                return Err(self.err(
                    Some(field),
                    ErrorKind::InvalidValue,
                    format!("phrase `{p}` in `{field}` is empty once normalized (only spaces, dashes or invisible characters)"),
                ));
            }
        }
        Ok(items.to_vec())
    }
}

/// `a`, `a and b`, `a, b and c`.
fn and_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => one.to_string(),
        [init @ .., last] => format!("{} and {last}", init.join(", ")),
    }
}

/// Validates one merged rule; `body` checks the fields of the rule's kind (the kind's
/// module does, see `rules::kind`). `Ok(None)` means the rule is switched off.
pub(crate) fn rule(
    spec: &RuleSpec,
    loc: &Locator<'_>,
    trusted: bool,
    body: impl FnOnce(&Fields<'_>) -> Result<Body, Error>,
) -> Result<Option<Rule>, Error> {
    let rule_err = |kind: ErrorKind, msg: String| {
        let (file, pos) = loc.at(None);
        Error::new(kind, msg)
            .with_file(file)
            .with_position(pos)
            .with_rule(&spec.id)
    };
    let kind = spec
        .kind
        .ok_or_else(|| rule_err(ErrorKind::MissingField, "rule has no `kind`".into()))?;

    // Fields must belong to the kind.
    for (key, li, ri) in loc.keys() {
        let Some(f) = fields::field(&key) else {
            continue;
        };
        if !fields::applies(f, kind) {
            let (file, pos) = loc.key_at(&key, li, ri);
            return Err(Error::new(
                ErrorKind::UnknownField,
                format!(
                    "field `{key}` does not apply to `{}` rules; they take: {}",
                    kind.name(),
                    fields::names_for(kind).join(", ")
                ),
            )
            .with_file(file)
            .with_position(pos)
            .with_rule(&spec.id));
        }
    }
    if spec.enabled == Some(false) {
        return Ok(None);
    }
    let missing: Vec<&str> = FIELDS
        .iter()
        .filter(|f| f.required_for.contains(&kind) && !spec.is_set(f.name))
        .map(|f| f.name)
        .collect();
    if !missing.is_empty() {
        return Err(rule_err(
            ErrorKind::MissingField,
            format!(
                "`{}` rules need {}",
                kind.name(),
                missing
                    .iter()
                    .map(|m| format!("`{m}`"))
                    .collect::<Vec<_>>()
                    .join(" and ")
            ),
        ));
    }

    let evasion = match spec.evasion {
        Some(Evasion::Full) if !kind.is_phrase_based() => {
            let phrase_based: Vec<&str> = Kind::ALL
                .iter()
                .filter(|k| k.is_phrase_based())
                .map(|k| k.name())
                .collect();
            let (file, pos) = loc.at(Some("evasion"));
            return Err(Error::new(
                ErrorKind::InvalidValue,
                format!(
                    "`evasion: full` applies only to {} rules; use `unicode` or `none` for `{}`",
                    and_list(&phrase_based),
                    kind.name()
                ),
            )
            .with_file(file)
            .with_position(pos)
            .with_rule(&spec.id));
        }
        Some(e) => e,
        None if kind.is_phrase_based() => Evasion::Full,
        None => Evasion::Unicode,
    };
    let cx = Fields {
        spec,
        kind,
        evasion,
        trusted,
        loc,
    };

    let platforms = match &spec.platforms {
        None => None,
        Some(ps) => {
            let mut out = Vec::new();
            for p in ps {
                out.push(Platform::parse(p).map_err(|e| cx.at(Some("platforms"), e))?);
            }
            if out.is_empty() {
                return Err(cx.err(
                    Some("platforms"),
                    ErrorKind::InvalidValue,
                    "`platforms` is empty; leave it out to check every platform",
                ));
            }
            Some(out)
        }
    };

    let active = spec
        .active
        .as_ref()
        .map(window)
        .transpose()
        .map_err(|e| cx.at(Some("active"), e))?;

    if let Some(m) = &spec.message {
        check_placeholders(m).map_err(|e| cx.at(Some("message"), e))?;
    }
    let unless = match &spec.unless {
        Some(_) => cx.phrases("unless", &spec.unless)?,
        None => Vec::new(),
    };

    let body = body(&cx)?;

    let suggest = match &spec.suggest {
        None => Suggest::None,
        Some(v) => {
            suggestions(v, &body, phrase_profile(evasion)).map_err(|e| cx.at(Some("suggest"), e))?
        }
    };

    let (file, position) = loc.at(None);
    Ok(Some(Rule {
        id: spec.id.clone(),
        kind,
        body,
        severity: spec.severity.unwrap_or(Severity::Warn),
        mode: spec.mode.unwrap_or(Mode::Enforce),
        message: spec.message.as_deref().map(|m| m.trim().to_string()),
        link: spec.link.clone(),
        platforms,
        active,
        unless,
        suggest,
        evasion,
        origin: Origin { file, position },
    }))
}

/// An `active` window as written, checked: real days, and a start no later than the end.
/// The error is not yet pointed at the field.
pub(crate) fn window(a: &fields::ActiveSpec) -> Result<Window, Error> {
    let date = |s: &Option<String>| -> Result<Option<Date>, Error> {
        s.as_deref()
            .map(Date::parse)
            .transpose()
            .map_err(|e| e.prefixed("`active`: "))
    };
    let w = Window {
        from: date(&a.from)?,
        until: date(&a.until)?,
    };
    if let (Some(f), Some(u)) = (w.from, w.until)
        && f > u
    {
        return Err(invalid(format!(
            "`active` starts ({f}) after it ends ({u})"
        )));
    }
    Ok(w)
}

fn check_placeholders(m: &str) -> Result<(), Error> {
    let mut rest = m;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else { break };
        let name = &after[..close];
        let is_name =
            !name.is_empty() && name.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_');
        if is_name && !PLACEHOLDERS.contains(&name) {
            return Err(invalid(format!(
                "unknown placeholder `{{{name}}}` in `message`; known: {}",
                PLACEHOLDERS
                    .iter()
                    .map(|p| format!("{{{p}}}"))
                    .collect::<Vec<_>>()
                    .join(", ")
            )));
        }
        rest = &after[close + 1..];
    }
    Ok(())
}

fn invalid(message: String) -> Error {
    Error::new(ErrorKind::InvalidValue, message)
}

fn string_list(v: &Value, what: &str) -> Result<Vec<String>, Error> {
    match v {
        Value::String(s) => Ok(vec![s.clone()]),
        Value::Array(a) => a
            .iter()
            .map(|x| {
                x.as_str()
                    .map(str::to_string)
                    .ok_or_else(|| invalid(format!("{what} must be strings")))
            })
            .collect(),
        _ => Err(invalid(format!(
            "{what} must be a string or a list of strings"
        ))),
    }
}

fn suggestions(v: &Value, body: &Body, profile: Profile) -> Result<Suggest, Error> {
    match v {
        Value::Object(map) => {
            let Body::Phrases { phrases } = body else {
                return Err(invalid("a map of suggestions (phrase: replacement) is only for `phrases` rules; give a string or a list".to_string()));
            };
            let known: Vec<String> = phrases
                .iter()
                .map(|p| normalize::phrase(p, profile))
                .collect();
            let mut out = Vec::new();
            for (k, r) in map {
                let nk = normalize::phrase(k, profile);
                if !known.contains(&nk) {
                    return Err(invalid(format!(
                        "`suggest` has a replacement for `{k}`, which is not one of this rule's phrases"
                    )));
                }
                out.push((nk, string_list(r, "replacements")?));
            }
            Ok(Suggest::ByPhrase(out))
        }
        other => Ok(Suggest::Always(string_list(other, "`suggest`")?)),
    }
}

/// Validates the tests of the top layer against the merged rule ids.
pub(crate) fn tests(
    layer: &Layer,
    known: &HashSet<&str>,
    disabled: &HashSet<&str>,
) -> Result<Vec<TestCase>, Error> {
    let mut out = Vec::new();
    for (i, t) in layer.spec.tests.iter().enumerate() {
        let at = |field: &str| {
            layer
                .doc
                .position(&format!("tests[{i}].{field}"))
                .or_else(|| layer.doc.position(&format!("tests[{i}]")))
        };
        let fail = |field: &str, e: Error| {
            e.prefixed(&format!("test {}: ", i + 1))
                .with_file(&layer.file)
                .with_position(at(field))
        };
        let platform = t
            .platform
            .as_deref()
            .map(Platform::parse)
            .transpose()
            .map_err(|e| fail("platform", e))?;
        let date = t
            .date
            .as_deref()
            .map(Date::parse)
            .transpose()
            .map_err(|e| fail("date", e))?;
        for (j, id) in t.expect.iter().enumerate() {
            if disabled.contains(id.as_str()) {
                return Err(fail(
                    &format!("expect[{j}]"),
                    invalid(format!("expects rule `{id}`, which is switched off")),
                ));
            }
            if !known.contains(id.as_str()) {
                return Err(fail(
                    &format!("expect[{j}]"),
                    Error::new(
                        ErrorKind::NotFound,
                        format!("expects rule `{id}`, but the policy has no rule with that id"),
                    ),
                ));
            }
        }
        out.push(TestCase {
            name: t.name.clone(),
            text: t.text.clone(),
            platform,
            date,
            expect: t.expect.clone(),
            origin: Origin {
                file: layer.file.clone(),
                position: at("text"),
            },
        });
    }
    Ok(out)
}
