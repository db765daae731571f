//! What a check reports: findings with exact spans, messages and suggested fixes.

use std::collections::BTreeSet;
use std::ops::Range;

use crate::policy::{Kind, Mode, Severity};

/// A byte range of the checked text. Always on `char` boundaries.
pub type Span = Range<usize>;

/// A one-click fix: replace `span` of the draft with `replacement`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Suggestion {
    /// Usually the finding's own span; an empty span at the end of the text appends.
    pub span: Span,
    pub replacement: String,
}

/// One problem in a draft.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Finding {
    pub rule: String,
    pub kind: Kind,
    pub severity: Severity,
    pub mode: Mode,
    /// The rule's message with `{match}` etc. substituted. Plain text.
    pub message: String,
    pub link: Option<String>,
    /// Byte range of the draft this finding covers.
    pub span: Span,
    /// Exactly the text `span` covers, so a host can refuse to act on a stale span.
    pub text: String,
    pub suggestions: Vec<Suggestion>,
    /// Ids of other rules that flagged an overlapping place and were folded into this one.
    pub also: Vec<String>,
}

impl Finding {
    pub fn is_enforced_block(&self) -> bool {
        self.mode == Mode::Enforce && self.severity == Severity::Block
    }
}

/// Keeps one underline per place: among enforced findings whose spans overlap, the most
/// severe wins (then the longer span, then the earlier rule) and the others' rule ids go
/// into its `also`. Monitor findings and whole-draft findings (`length`) are kept as is.
/// The result is sorted by position.
pub fn resolve_overlaps(
    mut findings: Vec<Finding>,
    rule_order: impl Fn(&str) -> usize,
) -> Vec<Finding> {
    let (mut contenders, mut kept): (Vec<Finding>, Vec<Finding>) = findings
        .drain(..)
        .partition(|f| f.mode == Mode::Enforce && f.kind != Kind::Length);
    contenders.sort_by_cached_key(|f| priority(f, &rule_order));
    // A contender folds into the first winner (in priority order) it overlaps. Winners never
    // overlap each other, so in (start, end) order their ends never decrease: the winners
    // a span overlaps are the run that ends just before the first winner starting at or
    // after its end. An index of them keeps this O(n log n) on a draft with thousands of
    // findings, where scanning every winner per contender was quadratic.
    let mut winners: Vec<Finding> = Vec::with_capacity(contenders.len());
    let mut by_position: BTreeSet<(usize, usize, usize)> = BTreeSet::new();
    for f in contenders {
        let first = by_position
            .range(..(f.span.end, 0, 0))
            .rev()
            .take_while(|&&(_, end, _)| f.span.start < end)
            .map(|&(_, _, i)| i)
            .min();
        match first {
            Some(i) => {
                let w = &mut winners[i];
                if w.rule != f.rule && !w.also.contains(&f.rule) {
                    w.also.push(f.rule);
                }
            }
            None => {
                by_position.insert((f.span.start, f.span.end, winners.len()));
                winners.push(f);
            }
        }
    }
    kept.extend(winners);
    kept.sort_by(reading_order);
    kept
}

/// The order findings claim an underline in: the most severe, then the longest, then the
/// earlier rule, then the earlier place.
fn priority(
    f: &Finding,
    rule_order: impl Fn(&str) -> usize,
) -> (
    std::cmp::Reverse<Severity>,
    std::cmp::Reverse<usize>,
    usize,
    usize,
) {
    (
        std::cmp::Reverse(f.severity),
        std::cmp::Reverse(f.span.end - f.span.start),
        rule_order(&f.rule),
        f.span.start,
    )
}

/// By position, the more severe first at the same place.
fn reading_order(x: &Finding, y: &Finding) -> std::cmp::Ordering {
    (x.span.start, x.span.end, std::cmp::Reverse(x.severity)).cmp(&(
        y.span.start,
        y.span.end,
        std::cmp::Reverse(y.severity),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn finding(rule: &str, severity: Severity, span: Span) -> Finding {
        Finding {
            rule: rule.into(),
            kind: Kind::Phrases,
            severity,
            mode: Mode::Enforce,
            message: String::new(),
            link: None,
            text: String::new(),
            span,
            suggestions: Vec::new(),
            also: Vec::new(),
        }
    }

    /// The definition: each contender, in priority order, folds into the first winner it
    /// overlaps, or becomes one.
    fn by_definition(findings: Vec<Finding>, order: impl Fn(&str) -> usize) -> Vec<Finding> {
        let mut contenders = findings;
        contenders.sort_by_cached_key(|f| priority(f, &order));
        let mut winners: Vec<Finding> = Vec::new();
        for f in contenders {
            let overlaps = |w: &Finding| w.span.start < f.span.end && f.span.start < w.span.end;
            match winners.iter_mut().find(|w| overlaps(w)) {
                Some(w) => {
                    if w.rule != f.rule && !w.also.contains(&f.rule) {
                        w.also.push(f.rule);
                    }
                }
                None => winners.push(f),
            }
        }
        winners.sort_by(reading_order);
        winners
    }

    #[test]
    fn the_index_resolves_exactly_as_the_definition() {
        let mut rng = crate::xorshift::Xorshift::new(0x2545_f491_4f6c_dd1d);
        let mut next = |n: usize| rng.below(n);
        let severities = [Severity::Info, Severity::Warn, Severity::Block];
        for _ in 0..500 {
            let n = 1 + next(40);
            let fs: Vec<Finding> = (0..n)
                .map(|_| {
                    let start = next(60);
                    let len = next(12);
                    let rule = format!("r{}", next(6));
                    finding(&rule, severities[next(3)], start..start + len)
                })
                .collect();
            let order = |r: &str| r[1..].parse::<usize>().unwrap();
            assert_eq!(
                resolve_overlaps(fs.clone(), order),
                by_definition(fs, order)
            );
        }
    }

    #[test]
    fn many_findings_fold_into_their_underlines() {
        // 50,000 short block findings, each inside a long warn finding of its own line.
        let mut fs = Vec::new();
        for i in 0..50_000 {
            fs.push(finding("short", Severity::Block, i * 10 + 2..i * 10 + 4));
            fs.push(finding("long", Severity::Warn, i * 10..i * 10 + 8));
        }
        let kept = resolve_overlaps(fs, |r| usize::from(r == "long"));
        assert_eq!(kept.len(), 50_000);
        assert!(kept.iter().all(|f| f.rule == "short" && f.also == ["long"]));
    }
}
