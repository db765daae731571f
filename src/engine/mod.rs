//! Compile once, check often.
//!
//! [`Engine::new`] compiles a validated [`Policy`]: every phrase list into one
//! Aho-Corasick automaton per normalization profile, every pattern into a size-limited
//! regex. Detectors compile their own regexes on first use (most drafts never need the
//! secret formats or the link pattern), which keeps them out of a worker's start-up. [`Engine::check`] then builds only the shadows and
//! detector results the draft's active rules need, runs each rule, drops matches an
//! `unless` exception covers, fills in messages and fixes, and resolves overlaps.

pub mod context;
pub mod lazy_regex;
pub mod phrases;

use std::collections::HashMap;

use crate::date::Date;
use crate::error::Error;
use crate::finding::{Finding, Suggestion, resolve_overlaps};
use crate::normalize::Profile;
use crate::policy::{Body, Platform, Policy, Rule, Suggest, phrase_profile};
use crate::rules::{self, Check, Raw, match_case};
use context::Context;
use lazy_regex::LazyRegex;
use phrases::{Hit, Owner, PhraseSet, PhraseSetBuilder, Role};

/// Drafts longer than this are checked on their first `MAX_TEXT_BYTES` only. Hosts that
/// may see larger texts (a 1 MB paste) should check in parts.
pub const MAX_TEXT_BYTES: usize = 16 << 20;

/// What to check.
#[derive(Debug, Clone, Copy)]
pub struct Draft<'a> {
    pub text: &'a str,
    /// The platform the draft is for; rules scoped with `platforms` run only when it is
    /// one of theirs.
    pub platform: Option<Platform>,
    /// Today's date; rules with an `active` window run only when it is known and inside
    /// the window.
    pub date: Option<Date>,
}

impl<'a> Draft<'a> {
    pub fn new(text: &'a str) -> Draft<'a> {
        Draft {
            text,
            platform: None,
            date: None,
        }
    }

    pub fn platform(mut self, p: Platform) -> Self {
        self.platform = Some(p);
        self
    }

    pub fn date(mut self, d: Date) -> Self {
        self.date = Some(d);
        self
    }
}

/// A compiled policy.
pub struct Engine {
    policy: Policy,
    checks: Vec<Box<dyn Check>>,
    sets: Vec<(PhraseSet, Vec<usize>)>,
    order: HashMap<String, usize>,
    /// Union of all pattern rules per view, see [`rules::pattern::prefilter`].
    prefilters: [Option<LazyRegex>; 2],
}

impl std::fmt::Debug for Engine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Engine")
            .field("policy", &self.policy.id)
            .field("rules", &self.policy.rules.len())
            .field("phrases", &self.phrase_count())
            .finish()
    }
}

impl Engine {
    /// Compiles a policy. Fails only on limits (an automaton too large); everything a
    /// policy author can get wrong was caught when the policy was loaded.
    pub fn new(policy: Policy) -> Result<Engine, Error> {
        let mut builders: HashMap<Profile, (PhraseSetBuilder, Vec<usize>)> = HashMap::new();
        let mut checks = Vec::with_capacity(policy.rules.len());
        for (ri, rule) in policy.rules.iter().enumerate() {
            let mut add = |profile: Profile, role: Role, items: &[String]| {
                let (b, owners) = builders.entry(profile).or_default();
                if owners.last() != Some(&ri) {
                    owners.push(ri);
                }
                for (i, phrase) in items.iter().enumerate() {
                    b.add(
                        phrase,
                        profile,
                        Owner {
                            rule: ri as u32,
                            role,
                            index: i as u32,
                        },
                    );
                }
            };
            let kind = rules::kind(rule.kind);
            kind.phrase_lists(rule, &mut add);
            if !rule.unless.is_empty() {
                add(phrase_profile(rule.evasion), Role::Unless, &rule.unless);
            }
            checks.push(kind.compile(rule)?);
        }
        let mut sets = Vec::new();
        let mut profiles: Vec<Profile> = builders.keys().copied().collect();
        profiles.sort();
        for p in profiles {
            let (b, owners) = builders.remove(&p).expect("profile listed");
            if !b.is_empty() {
                sets.push((b.build(p)?, owners));
            }
        }
        let order = policy
            .rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.clone(), i))
            .collect();
        let patterns = |view: Option<Profile>| -> Vec<&str> {
            policy
                .rules
                .iter()
                .filter(|r| crate::policy::text_profile(r.evasion) == view)
                .filter_map(|r| match &r.body {
                    Body::Pattern { pattern } => Some(pattern.as_str()),
                    _ => None,
                })
                .collect()
        };
        let prefilters = [
            rules::pattern::prefilter(&patterns(None)),
            rules::pattern::prefilter(&patterns(Some(Profile::Cased))),
        ];
        Ok(Engine {
            policy,
            checks,
            sets,
            order,
            prefilters,
        })
    }

    /// The policy this engine enforces.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// The message of rule `i` of [`Engine::policy`]: its `message`, else its kind's
    /// default, with its placeholders (`{match}`, `{rule}`, `{detail}`) unfilled.
    pub fn message_template(&self, i: usize) -> &str {
        self.policy.rules[i]
            .message
            .as_deref()
            .unwrap_or_else(|| self.checks[i].default_message())
    }

    /// Distinct normalized phrases across all automata.
    pub fn phrase_count(&self) -> usize {
        self.sets.iter().map(|(s, _)| s.len()).sum()
    }

    fn applies(&self, rule: &Rule, draft: &Draft<'_>) -> bool {
        let platform_ok = match &rule.platforms {
            None => true,
            Some(ps) => draft.platform.is_some_and(|p| ps.contains(&p)),
        };
        let date_ok = match &rule.active {
            None => true,
            Some(w) => draft.date.is_some_and(|d| w.contains(d)),
        };
        platform_ok && date_ok
    }

    /// Checks a draft. Findings are sorted by position; overlapping enforced findings are
    /// folded into the most severe one (see [`resolve_overlaps`]).
    #[cfg_attr(draftguard_hot, optimize(speed))]
    pub fn check(&self, draft: &Draft<'_>) -> Vec<Finding> {
        let mut text = draft.text;
        if text.len() > MAX_TEXT_BYTES {
            let mut cut = MAX_TEXT_BYTES;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text = &text[..cut];
        }
        let rules = &self.policy.rules;
        let active: Vec<bool> = rules.iter().map(|r| self.applies(r, draft)).collect();
        if !active.contains(&true) {
            return Vec::new();
        }
        let lexicon = self.sets.iter().find_map(|(s, _)| s.lexicon());
        let cx = Context::new(text, draft.platform, draft.date, &self.prefilters, lexicon);

        let mut hits: Vec<Vec<Hit>> = vec![Vec::new(); rules.len()];
        let mut unless: Vec<Vec<std::ops::Range<usize>>> = vec![Vec::new(); rules.len()];
        for (set, owners) in &self.sets {
            if !owners.iter().any(|&r| active[r]) {
                continue;
            }
            set.scan(cx.shadow(set.profile), |o: &Owner, h: Hit| {
                let r = o.rule as usize;
                if !active[r] {
                } else if h.role == Role::Unless {
                    unless[r].push(h.span);
                } else {
                    hits[r].push(h);
                }
            });
        }

        let mut findings = Vec::new();
        let mut raws = Vec::new();
        for (ri, rule) in rules.iter().enumerate() {
            if !active[ri] {
                continue;
            }
            raws.clear();
            self.checks[ri].check(&cx, &hits[ri], &mut raws);
            for raw in raws.drain(..) {
                let overlaps = |r: &std::ops::Range<usize>| {
                    unless[ri]
                        .iter()
                        .any(|u| u.start < r.end && r.start < u.end)
                };
                let excepted = if raw.parts.is_empty() {
                    overlaps(&raw.span)
                } else {
                    raw.parts.iter().any(overlaps)
                };
                if !excepted {
                    findings.push(self.finding(rule, ri, &cx, raw));
                }
            }
        }
        findings.sort_by(|a, b| {
            (a.span.start, a.span.end, &a.rule).cmp(&(b.span.start, b.span.end, &b.rule))
        });
        findings.dedup_by(|a, b| a.rule == b.rule && a.span == b.span);
        resolve_overlaps(findings, |id| {
            self.order.get(id).copied().unwrap_or(usize::MAX)
        })
    }

    fn finding(&self, rule: &Rule, ri: usize, cx: &Context<'_>, raw: Raw) -> Finding {
        let matched = &cx.text[raw.span.clone()];
        let template = self.message_template(ri);
        let message = fill(
            template,
            &short(matched),
            &rule.id,
            raw.detail.as_deref().unwrap_or(""),
        );
        let mut suggestions = match (raw.fixes, &rule.suggest) {
            (Some(f), _) if !f.is_empty() => f,
            (_, Suggest::Always(list)) => list
                .iter()
                .map(|r| Suggestion {
                    span: raw.span.clone(),
                    replacement: match_case(matched, r),
                })
                .collect(),
            _ => Vec::new(),
        };
        suggestions.retain(|s| !(s.span == raw.span && s.replacement == matched));
        suggestions.dedup();
        Finding {
            rule: rule.id.clone(),
            kind: rule.kind,
            severity: rule.severity,
            mode: rule.mode,
            message,
            link: rule.link.clone().or_else(|| self.policy.link.clone()),
            span: raw.span,
            text: matched.to_string(),
            suggestions,
            also: Vec::new(),
        }
    }
}

/// At most 80 characters of the flagged text for a message.
fn short(s: &str) -> String {
    let s = s.trim();
    match s.char_indices().nth(80) {
        Some((i, _)) => format!("{}…", &s[..i]),
        None => s.to_string(),
    }
}

/// Substitutes `{match}`, `{rule}` and `{detail}` in one pass (a matched text that
/// itself contains `{rule}` stays as typed).
fn fill(template: &str, matched: &str, rule: &str, detail: &str) -> String {
    let mut out = String::with_capacity(template.len() + matched.len());
    let mut rest = template;
    while let Some(i) = rest.find('{') {
        out.push_str(&rest[..i]);
        let after = &rest[i..];
        let (value, len) = if after.starts_with("{match}") {
            (Some(matched), 7)
        } else if after.starts_with("{rule}") {
            (Some(rule), 6)
        } else if after.starts_with("{detail}") {
            (Some(detail), 8)
        } else {
            (None, 1)
        };
        out.push_str(value.unwrap_or("{"));
        rest = &after[len..];
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::fill;
    use crate::normalize::swar::BYTE_LOOPS;
    use crate::{Draft, Engine, Policy};

    /// Random ASCII-heavy drafts (with some text outside ASCII): every finding, span,
    /// message and fix is the same with the eight-bytes-at-once paths of the fold, the
    /// word pass and the phrase scan as with their byte loops alone, under the default
    /// policy and under one with phrases of every profile, stems, `near`, `swap`,
    /// `require` and `unless`.
    #[test]
    fn eight_bytes_at_once_check_as_one_by_one() {
        let custom = r#"policy: t
rules:
  - {id: full, kind: phrases, phrases: ["guaranteed returns", "risk-free", "scam", "fuck", "invest* now", "main street", "a b c", "(212)", "press@acme"], unless: ["risk free trial"]}
  - {id: uni, kind: phrases, evasion: unicode, phrases: ["café deal", "no loss"]}
  - {id: basic, kind: phrases, evasion: none, phrases: ["can't lose", "hello world"]}
  - {id: near, kind: near, a: ["text me", "dm me"], b: [whatsapp, telegram], within: 5}
  - {id: swap, kind: swap, swap: {"Main Street": "Main St.", "ASAP": "soon"}}
  - {id: req, kind: require, when: [offer], require: ["terms apply"]}
"#;
        let engines = [
            Engine::new(
                Policy::from_yaml("default.yaml", include_str!("../../policies/default.yaml"))
                    .unwrap(),
            )
            .unwrap(),
            Engine::new(Policy::from_yaml("t.yaml", custom).unwrap()).unwrap(),
        ];
        let words = [
            "guaranteed",
            "Guaranteed",
            "returns",
            "RETURNS",
            "risk",
            "free",
            "risk-free",
            "r1sk",
            "fr33",
            "scam",
            "scaaaam",
            "f*ck",
            "f-ck",
            "f.ck",
            "invest",
            "investing",
            "now",
            "Main",
            "Street",
            "a",
            "b",
            "c",
            "I",
            "(212)",
            "555-0187",
            "press@acme.example",
            "bit.ly/abc123",
            "@jane_doe",
            "#AcmeEmployee",
            "text",
            "me",
            "dm",
            "WhatsApp",
            "telegram",
            "offer",
            "terms",
            "apply",
            "caf\u{e9}",
            "deal",
            "no",
            "loss",
            "can't",
            "it's",
            "lose",
            "hello",
            "world",
            "ASAP",
            "soon",
            "the",
            "and",
            "of",
            "thrilled",
            "quarter",
            "4th",
            "2026",
            "4111 1111 1111 1111",
            "g-u-a-r-a-n-t-e-e-d",
            "\u{2014}",
            "\u{200b}",
            "wow!",
            "trial",
        ];
        let seps = [
            " ", " ", " ", " ", ", ", ". ", "-", "  ", "\n", "\n\n", ": ", "! ", "'", "\t",
        ];
        let mut rng = crate::xorshift::Xorshift::new(0x5851_f42d_4c95_7f2d);
        let mut findings = 0;
        for _ in 0..3_000 {
            let text = rng.text(60, &[&words, &seps]);
            for e in &engines {
                let fast = e.check(&Draft::new(&text));
                BYTE_LOOPS.with(|b| b.set(true));
                let slow = e.check(&Draft::new(&text));
                BYTE_LOOPS.with(|b| b.set(false));
                assert_eq!(fast, slow, "{text:?}");
                findings += fast.len();
            }
        }
        // The drafts do hold findings (the test compares something).
        assert!(findings > 10_000, "{findings}");
    }

    #[test]
    fn placeholders_fill_once() {
        assert_eq!(
            fill("“{match}” ({rule}): {detail}", "{rule}", "r1", "d"),
            "“{rule}” (r1): d"
        );
        assert_eq!(
            fill("no {placeholder} here {", "m", "r", "d"),
            "no {placeholder} here {"
        );
    }
}
