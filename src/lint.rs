//! Warnings for policy authors: rules that can never match, exceptions that can never
//! apply, fixes the rule would flag again, allow-list values a detector never finds,
//! rules no test covers; approved posts (`library:`) whose window has ended or that are
//! longer than a platform they are offered on takes.
//!
//! Load errors (duplicate ids in a file, unknown fields, bad patterns) are errors, not
//! lints: a policy with them does not load at all.

use std::collections::HashSet;
use std::fmt;

use crate::date::Date;
use crate::engine::{Draft, Engine};
use crate::error::Position;
use crate::normalize;
use crate::policy::library::Entry;
use crate::policy::{Body, Count, Kind, Rule, Suggest, phrase_profile};

/// One warning.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lint {
    pub file: String,
    pub position: Option<Position>,
    pub rule: Option<String>,
    pub message: String,
}

impl fmt::Display for Lint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.file)?;
        if let Some(p) = self.position {
            write!(f, ":{}:{}", p.line, p.column)?;
        }
        write!(f, ": warning: ")?;
        if let Some(r) = &self.rule {
            write!(f, "rule `{r}`: ")?;
        }
        write!(f, "{}", self.message)
    }
}

fn words(s: &str) -> impl Iterator<Item = &str> {
    s.split(' ').filter(|w| !w.is_empty())
}

/// Whether the normalized exception `exception` shares a word with the normalized phrase
/// `phrase`: the same word, a word a `*` stem begins, or (in scripts written without
/// spaces, where phrases match inside words) one containing the other.
fn shares_a_word(phrase: &str, exception: &str) -> bool {
    words(phrase).any(|p| {
        words(exception).any(|e| match p.strip_suffix('*') {
            Some(stem) => e.starts_with(stem),
            None if p
                .chars()
                .chain(e.chars())
                .any(normalize::is_unspaced_script) =>
            {
                e.contains(p) || p.contains(e)
            }
            None => p == e,
        })
    })
}

/// Lints a compiled policy as of `today`.
pub fn lint(engine: &Engine, today: Date) -> Vec<Lint> {
    let policy = engine.policy();
    let mut out = Vec::new();
    let top_file = policy.tests.first().map(|t| t.origin.file.clone());
    for rule in &policy.rules {
        let mut warn = |m: String| {
            out.push(Lint {
                file: rule.origin.file.clone(),
                position: rule.origin.position,
                rule: Some(rule.id.clone()),
                message: m,
            })
        };
        if let Some(w) = rule.active
            && let Some(u) = w.until
            && u < today
        {
            warn(format!(
                "its `active` window ended on {u}, so it can never match again"
            ));
        }
        let profile = phrase_profile(rule.evasion);
        let norm = |items: &[String]| -> Vec<String> {
            items
                .iter()
                .map(|p| normalize::phrase(p, profile))
                .collect()
        };
        let main: Vec<String> = match &rule.body {
            Body::Phrases { phrases } => norm(phrases),
            Body::Near { a, b, .. } => norm(a).into_iter().chain(norm(b)).collect(),
            Body::Require { when, .. } => norm(when),
            _ => Vec::new(),
        };
        if rule.kind.is_phrase_based() {
            for p in phrase_lists(rule) {
                for stem in crate::engine::phrases::stems(p) {
                    stem_lint(p, stem, &mut warn);
                }
                if rule.evasion == crate::policy::Evasion::Full
                    && let Some(w) = masked_word(p)
                {
                    warn(format!(
                        "phrase `{p}` spells `{w}` with a masked letter; masked spellings of the policy's own words are matched already, so list the word itself"
                    ));
                }
            }
        }
        let mut seen = HashSet::new();
        for p in &main {
            if !seen.insert(p.clone()) && rule.kind == Kind::Phrases {
                warn(format!(
                    "phrase `{p}` is listed twice (after normalization)"
                ));
            }
        }
        if rule.kind.is_phrase_based() {
            for u in &rule.unless {
                let nu = normalize::phrase(u, profile);
                if main.contains(&nu) {
                    warn(format!(
                        "exception `{u}` is also one of the rule's phrases, so that phrase can never be reported"
                    ));
                } else if !main.iter().any(|m| shares_a_word(m, &nu)) {
                    warn(format!(
                        "exception `{u}` shares no word with the rule's phrases, so it can never overlap a match"
                    ));
                }
            }
        }
        if let Body::Require { when, require } = &rule.body {
            let req = norm(require);
            for (w, nw) in when.iter().zip(norm(when)) {
                if req.contains(&nw) {
                    warn(format!(
                        "trigger `{w}` is also a required phrase, so it always satisfies itself"
                    ));
                }
            }
        }
        if let Body::Detector { detector, allow } = &rule.body {
            let d = detector.get();
            for a in allow {
                let mut found = Vec::new();
                d.find(a, &mut found);
                if found.is_empty() {
                    warn(format!(
                        "allowed value `{a}` is not something the `{}` detector finds, so allowing it has no effect",
                        detector.name()
                    ));
                }
            }
        }
        if rule.kind == Kind::Length && rule.platforms.is_none() {
            warn(
                "a `length` rule without `platforms` applies the same limit on every platform"
                    .to_string(),
            );
        }
        for fix in fixes(rule) {
            let again = engine
                .check(&Draft {
                    text: &fix,
                    platform: None,
                    date: Some(today),
                })
                .iter()
                .any(|f| f.rule == rule.id || f.also.contains(&rule.id));
            if again {
                warn(format!(
                    "the suggested fix `{fix}` is itself flagged by this rule"
                ));
            }
        }
        if top_file.as_deref() == Some(rule.origin.file.as_str())
            && !policy.tests.iter().any(|t| t.expect.contains(&rule.id))
        {
            warn("no test expects this rule to fire; add one to `tests:`".to_string());
        }
    }
    for entry in &policy.library {
        library_entry(entry, today, &mut out);
    }
    if policy.tests.is_empty() {
        out.push(Lint {
            file: policy
                .rules
                .last()
                .map(|r| r.origin.file.clone())
                .unwrap_or_default(),
            position: None,
            rule: None,
            message: format!(
                "policy `{}` has no tests; add a `tests:` section",
                policy.id
            ),
        });
    }
    out
}

/// An entry whose `active` window has ended, or that is longer than a platform it is
/// offered on takes (counted the way that platform counts, as inserted).
fn library_entry(entry: &Entry, today: Date, out: &mut Vec<Lint>) {
    let mut warn = |m: String| {
        out.push(Lint {
            file: entry.origin.file.clone(),
            position: entry.origin.position,
            rule: None,
            message: format!("library entry `{}`: {m}", entry.id),
        })
    };
    if let Some(w) = entry.active
        && let Some(u) = w.until
        && u < today
    {
        warn(format!(
            "its `active` window ended on {u}, so it is no longer offered; remove it"
        ));
    }
    let text = entry.filled().text;
    for p in entry.platform_list() {
        let Some(limit) = p.post_limit() else {
            continue;
        };
        let count = Count::for_platform(Some(p));
        let (total, _) = crate::rules::length::measure(&text, count, limit);
        if total > limit {
            warn(format!(
                "it is {total} characters, over {}'s limit of {limit}; shorten it or leave {} out of its `platforms`",
                p.name(),
                p.name()
            ));
        }
    }
}

/// Every phrase of a phrase-based rule, exceptions included.
fn phrase_lists(rule: &Rule) -> impl Iterator<Item = &String> {
    let lists: Vec<&[String]> = match &rule.body {
        Body::Phrases { phrases } => vec![phrases],
        Body::Near { a, b, .. } => vec![a, b],
        Body::Require { when, require } => vec![when, require],
        _ => Vec::new(),
    };
    lists.into_iter().flatten().chain(&rule.unless)
}

/// A `*` stem shorter than three letters matches too many words; after a script written
/// without spaces it does nothing (phrases there match inside words already).
fn stem_lint(phrase: &str, stem: &str, warn: &mut impl FnMut(String)) {
    let word = stem.rsplit(char::is_whitespace).next().unwrap_or(stem);
    if word
        .chars()
        .next_back()
        .is_some_and(normalize::is_unspaced_script)
    {
        warn(format!(
            "the `*` after `{word}` in `{phrase}` does nothing: phrases in scripts written without spaces match inside words already"
        ));
    } else if word.chars().filter(|c| c.is_alphanumeric()).count() < 3 {
        warn(format!(
            "the `*` stem `{word}` in `{phrase}` has fewer than 3 letters, so it matches too many words; write more of the word"
        ));
    }
}

/// The word of `phrase` that has a mask (`*`, `#`) between letters, if any.
fn masked_word(phrase: &str) -> Option<&str> {
    phrase.split_whitespace().find(|w| {
        let chars: Vec<char> = w.chars().collect();
        chars.windows(3).any(|t| {
            t[0].is_alphabetic()
                && matches!(t[1], '*' | '#')
                && (t[2].is_alphabetic() || matches!(t[2], '*' | '#'))
        })
    })
}

fn fixes(rule: &Rule) -> Vec<String> {
    let mut v: Vec<String> = match &rule.suggest {
        Suggest::None => Vec::new(),
        Suggest::Always(r) => r.clone(),
        Suggest::ByPhrase(m) => m.iter().flat_map(|(_, r)| r.clone()).collect(),
    };
    if let Body::Swap { pairs } = &rule.body {
        v.extend(pairs.iter().map(|(_, to)| to.clone()));
    }
    v.retain(|s| !s.trim().is_empty());
    v
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Policy;

    fn lints(yaml: &str, today: &str) -> Vec<String> {
        let engine = Engine::new(Policy::from_yaml("p.yaml", yaml).unwrap()).unwrap();
        lint(&engine, Date::parse(today).unwrap())
            .iter()
            .map(ToString::to_string)
            .filter(|l| l.contains("library entry"))
            .collect()
    }

    #[test]
    fn library_entries_that_ended_or_are_too_long_are_warned_about() {
        let long = "word ".repeat(60); // 299 characters once trimmed
        let yaml = format!(
            "policy: p\nlibrary:\n  - {{id: old, title: Old, text: Hi, active: {{until: 2026-10-31}}}}\n  - {{id: long, title: Long, text: '{long}', platforms: [x, linkedin]}}\n  - {{id: fine, title: Fine, text: Hi, platforms: [x], active: {{until: 2026-12-31}}}}\n"
        );
        assert_eq!(
            lints(&yaml, "2026-11-23"),
            [
                "p.yaml:3:10: warning: library entry `old`: its `active` window ended on 2026-10-31, so it is no longer offered; remove it",
                "p.yaml:4:10: warning: library entry `long`: it is 299 characters, over x's limit of 280; shorten it or leave x out of its `platforms`",
            ]
        );
    }
}
