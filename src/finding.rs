//! What a check reports: findings with exact spans, messages and suggested fixes.

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
    contenders.sort_by_cached_key(|f| {
        (
            std::cmp::Reverse(f.severity),
            std::cmp::Reverse(f.span.end - f.span.start),
            rule_order(&f.rule),
            f.span.start,
        )
    });
    let mut winners: Vec<Finding> = Vec::with_capacity(contenders.len());
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
    kept.extend(winners);
    kept.sort_by(|x, y| {
        x.span
            .start
            .cmp(&y.span.start)
            .then(x.span.end.cmp(&y.span.end))
            .then(y.severity.cmp(&x.severity))
    });
    kept
}
