//! Approved means it passes: every `library:` entry is checked against the merged policy
//! for each platform it is offered on, as `draftguard test` and `draftguard bundle` do.
//! An enforced `block` finding makes the entry an error (bundling refuses); enforced
//! `warn` findings are listed for the author.
//!
//! The text checked is the text as inserted ([`Entry::filled`]: `{link}` filled in, the
//! other placeholders left). Rules with an `active` window are checked on every day their
//! window starts or ends within the entry's own window, so an entry offered during a
//! quiet period is checked against the quiet-period rules.

use crate::date::Date;
use crate::engine::{Draft, Engine};
use crate::finding::Finding;
use crate::policy::library::Entry;
use crate::policy::{Mode, Platform, Severity};

/// A finding the policy makes on an entry, for one platform and (for a date-windowed
/// rule) one day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Flag {
    pub platform: Platform,
    /// The day checked, when the finding's rule has an `active` window.
    pub date: Option<Date>,
    pub finding: Finding,
}

/// What the policy says about one entry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Review<'a> {
    pub entry: &'a Entry,
    /// Enforced `block` findings: the entry is not approved.
    pub blocks: Vec<Flag>,
    /// Enforced `warn` findings: listed for the author.
    pub warns: Vec<Flag>,
}

impl Review<'_> {
    pub fn approved(&self) -> bool {
        self.blocks.is_empty()
    }
}

impl Flag {
    /// `rule `x` (block) on x: "matched text" — message`.
    pub fn describe(&self) -> String {
        let f = &self.finding;
        let on = match self.date {
            Some(d) => format!("on {} on {d}", self.platform.name()),
            None => format!("on {}", self.platform.name()),
        };
        format!(
            "rule `{}` ({}) {on}: \"{}\": {}",
            f.rule,
            f.severity.name(),
            f.text,
            f.message
        )
    }
}

/// The days to check `entry` on: `today` if the entry is active then, the ends of the
/// entry's window, and every start and end of a rule's window that falls inside it. The
/// set of rules in force changes only on those days, and each combination of rules in
/// force is at most what is in force on one of them.
fn days(engine: &Engine, entry: &Entry, today: Date) -> Vec<Date> {
    let mut out = vec![today];
    if let Some(w) = entry.active {
        out.extend(w.from);
        out.extend(w.until);
    }
    for r in &engine.policy().rules {
        if let Some(w) = r.active {
            out.extend(w.from);
            out.extend(w.until);
        }
    }
    out.retain(|d| entry.active_on(*d));
    out.sort();
    out.dedup();
    out
}

/// Checks one entry on every platform it is offered on.
pub fn review<'a>(engine: &Engine, entry: &'a Entry, today: Date) -> Review<'a> {
    let text = entry.filled().text;
    let windowed = |rule: &str| {
        engine
            .policy()
            .rules
            .iter()
            .any(|r| r.id == rule && r.active.is_some())
    };
    let mut review = Review {
        entry,
        blocks: Vec::new(),
        warns: Vec::new(),
    };
    for platform in entry.platform_list() {
        for day in days(engine, entry, today) {
            let draft = Draft {
                text: &text,
                platform: Some(platform),
                date: Some(day),
            };
            for finding in engine.check(&draft) {
                if finding.mode != Mode::Enforce || finding.severity == Severity::Info {
                    continue;
                }
                let date = windowed(&finding.rule).then_some(day);
                let flag = Flag {
                    platform,
                    date,
                    finding,
                };
                let list = if flag.finding.severity == Severity::Block {
                    &mut review.blocks
                } else {
                    &mut review.warns
                };
                // The same finding on several days is one problem.
                if !list.iter().any(|f| {
                    f.platform == flag.platform
                        && f.finding.rule == flag.finding.rule
                        && f.finding.span == flag.finding.span
                }) {
                    list.push(flag);
                }
            }
        }
    }
    review
}

/// Checks every entry of the engine's policy (see [`review`]).
pub fn review_all(engine: &Engine, today: Date) -> Vec<Review<'_>> {
    engine
        .policy()
        .library
        .iter()
        .map(|e| review(engine, e, today))
        .collect()
}

/// The blocked entries as one error message, or `None` when every entry passes.
pub fn refusal(reviews: &[Review<'_>]) -> Option<String> {
    let lines: Vec<String> = reviews
        .iter()
        .flat_map(|r| {
            r.blocks.iter().map(|b| {
                let at = r
                    .entry
                    .origin
                    .position
                    .map(|p| format!(" ({}:{}:{})", r.entry.origin.file, p.line, p.column))
                    .unwrap_or_default();
                format!("library entry `{}`{at}: {}", r.entry.id, b.describe())
            })
        })
        .collect();
    (!lines.is_empty()).then(|| {
        format!(
            "{} approved post(s) would be blocked by the policy:\n  {}",
            reviews.iter().filter(|r| !r.approved()).count(),
            lines.join("\n  ")
        )
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::Policy;

    fn engine(yaml: &str) -> Engine {
        Engine::new(Policy::from_yaml("p.yaml", yaml).unwrap()).unwrap()
    }

    fn day(s: &str) -> Date {
        Date::parse(s).unwrap()
    }

    const RULES: &str = "policy: p\nrules:\n  - {id: promissory, kind: phrases, severity: block, phrases: [guaranteed returns]}\n  - {id: hype, kind: phrases, severity: warn, phrases: [moon]}\n  - {id: pilot, kind: phrases, severity: block, mode: monitor, phrases: [pilot]}\n  - {id: x-length, kind: length, platforms: [x], max: 20}\n  - {id: quiet, kind: phrases, severity: block, phrases: [earnings], active: {from: 2026-12-15, until: 2027-01-25}}\n  - {id: short, kind: links, severity: block, deny_domains: [bit.ly]}\n";

    #[test]
    fn a_blocked_entry_is_named_with_the_rule_and_platform() {
        let e = engine(&format!(
            "{RULES}library:\n  - {{id: bad, title: Bad, text: Guaranteed returns for all, platforms: [linkedin]}}\n  - {{id: ok, title: Ok, text: Hello world}}\n"
        ));
        let reviews = review_all(&e, day("2026-11-23"));
        assert!(!reviews[0].approved());
        assert_eq!(reviews[0].blocks.len(), 1);
        assert_eq!(reviews[0].blocks[0].platform, Platform::Linkedin);
        assert_eq!(reviews[0].blocks[0].finding.rule, "promissory");
        assert!(reviews[1].approved());
        let msg = refusal(&reviews).unwrap();
        assert!(
            msg.contains("library entry `bad` (p.yaml:10:10): rule `promissory` (block) on linkedin: \"Guaranteed returns\""),
            "{msg}"
        );
    }

    #[test]
    fn warns_are_listed_per_platform_and_monitor_findings_ignored() {
        let e = engine(&format!(
            "{RULES}library:\n  - {{id: w, title: W, text: To the moon with our pilot, platforms: [x, linkedin]}}\n"
        ));
        let r = review(&e, &e.policy().library[0], day("2026-11-23"));
        assert!(
            r.approved(),
            "monitor block findings do not refuse an entry"
        );
        let warns: Vec<(&str, &str)> = r
            .warns
            .iter()
            .map(|f| (f.finding.rule.as_str(), f.platform.name()))
            .collect();
        assert_eq!(
            warns,
            [("hype", "x"), ("x-length", "x"), ("hype", "linkedin")]
        );
    }

    #[test]
    fn the_link_is_checked_as_inserted() {
        let e = engine(&format!(
            "{RULES}library:\n  - {{id: l, title: L, text: 'Read {{link}}', link: 'https://bit.ly/x', platforms: [linkedin]}}\n"
        ));
        let r = review(&e, &e.policy().library[0], day("2026-11-23"));
        assert_eq!(r.blocks[0].finding.rule, "short");
    }

    #[test]
    fn date_windowed_rules_are_checked_on_the_days_the_entry_is_offered() {
        let yaml = |active: &str| {
            format!(
                "{RULES}library:\n  - {{id: q, title: Q, text: Our earnings call is today, platforms: [linkedin]{active}}}\n"
            )
        };
        // Offered at any time: the quiet period is among its days.
        let e = engine(&yaml(""));
        let r = review(&e, &e.policy().library[0], day("2026-11-23"));
        assert_eq!(r.blocks.len(), 1);
        assert_eq!(r.blocks[0].date, Some(day("2026-12-15")));
        assert!(r.blocks[0].describe().contains("on linkedin on 2026-12-15"));
        // Offered only before the quiet period: approved.
        let e = engine(&yaml(", active: {from: 2026-11-01, until: 2026-12-14}"));
        assert!(review(&e, &e.policy().library[0], day("2026-11-23")).approved());
        // Offered across its end.
        let e = engine(&yaml(", active: {from: 2027-01-20}"));
        assert!(!review(&e, &e.policy().library[0], day("2026-11-23")).approved());
    }
}
