//! Checks a merged rule spec and turns it into a [`Rule`]; checks a layer's tests.

use std::collections::HashSet;

use serde_json::Value;

use super::fields::{self, FIELDS};
use super::locator::{Layer, Locator};
use super::spec::RuleSpec;
use super::{
    Body, Count, Evasion, Kind, Mode, Origin, Platform, Rule, Severity, Suggest, TestCase, Window,
};
use crate::date::Date;
use crate::detectors::DetectorKind;
use crate::error::{Error, ErrorKind};
use crate::normalize::{self, Profile};

/// Longest pattern source accepted, in bytes.
pub const MAX_PATTERN_LEN: usize = 4096;
/// Compiled-size limits for one pattern; a hostile pattern fails to compile instead of
/// taking memory or time.
pub const REGEX_SIZE_LIMIT: usize = 1 << 20;
pub const REGEX_DFA_LIMIT: usize = 2 << 20;
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

/// The profile phrase lists of a rule are matched with.
pub fn phrase_profile(evasion: Evasion) -> Profile {
    match evasion {
        Evasion::None => Profile::Basic,
        Evasion::Unicode => Profile::Unicode,
        Evasion::Full => Profile::Full,
    }
}

/// The text that patterns and detectors of a rule see: `None` is the draft as typed.
pub fn text_profile(evasion: Evasion) -> Option<Profile> {
    match evasion {
        Evasion::None => None,
        _ => Some(Profile::Cased),
    }
}

/// Compiles a pattern with the engine's size limits.
pub fn compile_pattern(p: &str) -> Result<regex::Regex, Error> {
    if p.len() > MAX_PATTERN_LEN {
        return Err(Error::new(
            ErrorKind::Limit,
            format!("pattern is longer than {MAX_PATTERN_LEN} bytes"),
        ));
    }
    regex::RegexBuilder::new(p)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_DFA_LIMIT)
        .nest_limit(64)
        .build()
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(_) => Error::new(
                ErrorKind::Limit,
                "pattern is too large once compiled (over 1 MiB); split it or simplify its repetitions",
            ),
            other => Error::new(
                ErrorKind::InvalidPattern,
                format!(
                    "invalid pattern: {}",
                    other
                        .to_string()
                        .replace('\n', " ")
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                ),
            ),
        })
}

struct Ctx<'a, 'b> {
    id: &'a str,
    loc: &'a Locator<'b>,
}

impl Ctx<'_, '_> {
    /// Points `e` at `field` of this rule (at the rule itself for `None`).
    fn at(&self, field: Option<&str>, e: Error) -> Error {
        let (file, pos) = self.loc.at(field);
        e.with_file(file).with_position(pos).with_rule(self.id)
    }

    fn err(&self, field: Option<&str>, kind: ErrorKind, msg: impl Into<String>) -> Error {
        self.at(field, Error::new(kind, msg))
    }
}

fn list(v: &Option<Vec<String>>) -> &[String] {
    v.as_deref().unwrap_or(&[])
}

/// Validates one merged rule. `Ok(None)` means the rule is switched off.
pub fn rule(spec: &RuleSpec, loc: &Locator<'_>) -> Result<Option<Rule>, Error> {
    let cx = Ctx { id: &spec.id, loc };
    let kind = spec
        .kind
        .ok_or_else(|| cx.err(None, ErrorKind::MissingField, "rule has no `kind`"))?;

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
    let has = |name: &str| match name {
        "phrases" => spec.phrases.is_some(),
        "a" => spec.a.is_some(),
        "b" => spec.b.is_some(),
        "swap" => spec.swap.is_some(),
        "pattern" => spec.pattern.is_some(),
        "detector" => spec.detector.is_some(),
        "when" => spec.when.is_some(),
        "require" => spec.require.is_some(),
        "max" => spec.max.is_some(),
        _ => true,
    };
    let missing: Vec<&str> = FIELDS
        .iter()
        .filter(|f| f.required_for.contains(&kind) && !has(f.name))
        .map(|f| f.name)
        .collect();
    if !missing.is_empty() {
        return Err(cx.err(
            None,
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
            return Err(cx.err(
                Some("evasion"),
                ErrorKind::InvalidValue,
                format!(
                    "`evasion: full` applies only to phrases, near and require rules; use `unicode` or `none` for `{}`",
                    kind.name()
                ),
            ));
        }
        Some(e) => e,
        None if kind.is_phrase_based() => Evasion::Full,
        None => Evasion::Unicode,
    };
    let profile = phrase_profile(evasion);

    let check_phrases = |field: &str, items: &[String]| -> Result<Vec<String>, Error> {
        if items.is_empty() {
            return Err(cx.err(
                Some(field),
                ErrorKind::InvalidValue,
                format!("`{field}` must list at least one phrase"),
            ));
        }
        for p in items {
            if p.len() > MAX_PHRASE_LEN {
                return Err(cx.err(
                    Some(field),
                    ErrorKind::Limit,
                    format!("a phrase in `{field}` is longer than {MAX_PHRASE_LEN} bytes"),
                ));
            }
            if normalize::phrase(p, profile).is_empty() {
                return Err(cx.err(
                    Some(field),
                    ErrorKind::InvalidValue,
                    format!("phrase `{p}` in `{field}` is empty once normalized (only spaces, dashes or invisible characters)"),
                ));
            }
        }
        Ok(items.to_vec())
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

    let active = match &spec.active {
        None => None,
        Some(a) => {
            let date = |s: &Option<String>| -> Result<Option<Date>, Error> {
                s.as_deref()
                    .map(Date::parse)
                    .transpose()
                    .map_err(|e| cx.at(Some("active"), e.prefixed("`active`: ")))
            };
            let w = Window {
                from: date(&a.from)?,
                until: date(&a.until)?,
            };
            if let (Some(f), Some(u)) = (w.from, w.until)
                && f > u
            {
                return Err(cx.err(
                    Some("active"),
                    ErrorKind::InvalidValue,
                    format!("`active` starts ({f}) after it ends ({u})"),
                ));
            }
            Some(w)
        }
    };

    if let Some(m) = &spec.message {
        check_placeholders(m).map_err(|e| cx.at(Some("message"), e))?;
    }
    let unless = match &spec.unless {
        Some(u) => check_phrases("unless", u)?,
        None => Vec::new(),
    };

    let body = match kind {
        Kind::Phrases => Body::Phrases {
            phrases: check_phrases("phrases", list(&spec.phrases))?,
        },
        Kind::Near => Body::Near {
            a: check_phrases("a", list(&spec.a))?,
            b: check_phrases("b", list(&spec.b))?,
            within: spec.within.unwrap_or(5),
        },
        Kind::Swap => {
            let map = spec.swap.as_ref().expect("checked above");
            if map.is_empty() {
                return Err(cx.err(
                    Some("swap"),
                    ErrorKind::InvalidValue,
                    "`swap` must map at least one form to its replacement",
                ));
            }
            let mut pairs = Vec::new();
            for (from, to) in map {
                let Value::String(to) = to else {
                    return Err(cx.err(
                        Some("swap"),
                        ErrorKind::InvalidValue,
                        format!("`swap`: the replacement for `{from}` must be a string"),
                    ));
                };
                if normalize::phrase(from, Profile::Cased).is_empty() {
                    return Err(cx.err(
                        Some("swap"),
                        ErrorKind::InvalidValue,
                        format!("`swap`: `{from}` is empty once normalized"),
                    ));
                }
                if from == to {
                    return Err(cx.err(
                        Some("swap"),
                        ErrorKind::InvalidValue,
                        format!("`swap`: `{from}` maps to itself"),
                    ));
                }
                pairs.push((from.clone(), to.clone()));
            }
            Body::Swap { pairs }
        }
        Kind::Pattern => {
            let p = spec.pattern.clone().expect("checked above");
            let re = compile_pattern(&p).map_err(|e| cx.at(Some("pattern"), e))?;
            if re.is_match("") {
                return Err(cx.err(
                    Some("pattern"),
                    ErrorKind::InvalidPattern,
                    "pattern matches the empty string, so it would flag every draft",
                ));
            }
            Body::Pattern { pattern: p }
        }
        Kind::Detector => {
            let name = spec.detector.as_deref().expect("checked above");
            let detector = DetectorKind::parse(name).map_err(|e| cx.at(Some("detector"), e))?;
            Body::Detector {
                detector,
                allow: list(&spec.allow).to_vec(),
            }
        }
        Kind::Require => Body::Require {
            when: check_phrases("when", list(&spec.when))?,
            require: check_phrases("require", list(&spec.require))?,
        },
        Kind::Links => {
            if spec.allow_domains.is_none() && spec.deny_domains.is_none() {
                return Err(cx.err(
                    None,
                    ErrorKind::MissingField,
                    "`links` rules need `allow_domains`, `deny_domains` or both",
                ));
            }
            let domains = |field: &str, v: &Option<Vec<String>>| -> Result<Vec<String>, Error> {
                let mut out = Vec::new();
                for d in list(v) {
                    out.push(
                        crate::detectors::links::normalize_domain(d)
                            .map_err(|e| cx.at(Some(field), e))?,
                    );
                }
                Ok(out)
            };
            Body::Links {
                allow_domains: domains("allow_domains", &spec.allow_domains)?,
                deny_domains: domains("deny_domains", &spec.deny_domains)?,
            }
        }
        Kind::Length => {
            let max = spec.max.expect("checked above");
            if max == 0 {
                return Err(cx.err(
                    Some("max"),
                    ErrorKind::InvalidValue,
                    "`max` must be at least 1",
                ));
            }
            let count = spec
                .count
                .as_deref()
                .map(Count::parse)
                .transpose()
                .map_err(|e| cx.at(Some("count"), e))?;
            Body::Length { max, count }
        }
    };

    let suggest = match &spec.suggest {
        None => Suggest::None,
        Some(v) => suggestions(v, &body, profile).map_err(|e| cx.at(Some("suggest"), e))?,
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
pub fn tests(
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
