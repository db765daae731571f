//! The human report: each finding compiler-style (the line or a window of it, a caret
//! underline, the message, the fix), a summary line per draft, and a total for many.

use std::fmt::Write;

use draftguard::offsets::Point;
use draftguard::report::Report;
use draftguard::{Finding, Mode, Severity, Suggestion};

use crate::window::snippet;

pub struct Style {
    pub color: bool,
    /// The widest window of a line shown under a finding (`--max-columns`).
    pub max_columns: usize,
    /// Findings printed per draft (`--max-findings`); the summary counts them all.
    pub max_findings: Option<usize>,
}

impl Style {
    fn paint(&self, code: &str, s: &str) -> String {
        if self.color {
            format!("\x1b[{code}m{s}\x1b[0m")
        } else {
            s.to_string()
        }
    }
}

fn severity_color(s: Severity) -> &'static str {
    match s {
        Severity::Block => "1;31",
        Severity::Warn => "1;33",
        Severity::Info => "1;36",
    }
}

/// Renders one finding against the text it was found in; `(start, end)` is its span,
/// converted with every other span of the draft (`report::Report`). A long line is shown
/// as a window of at most `style.max_columns` columns around the finding.
fn finding(
    out: &mut String,
    label: &str,
    text: &str,
    f: &Finding,
    (start, end): (Point, Point),
    style: &Style,
    sep: &str,
) {
    let head = if f.mode == Mode::Monitor {
        format!("monitor {}[{}]", f.severity.name(), f.rule)
    } else {
        format!("{}[{}]", f.severity.name(), f.rule)
    };
    let _ = writeln!(
        out,
        "{}: {}",
        style.paint(severity_color(f.severity), &head),
        style.paint("1", &f.message)
    );
    let gutter = start.line.to_string().len();
    let pad = " ".repeat(gutter);
    let _ = writeln!(
        out,
        "{pad}{} {label}{sep}{}:{}",
        style.paint("1;34", "-->"),
        start.line,
        start.column
    );
    let snip = snippet(text, f.span.start, f.span.end, style.max_columns);
    let bar = style.paint("1;34", "|");
    let _ = writeln!(out, "{pad} {bar}");
    let _ = writeln!(
        out,
        "{} {bar} {}",
        style.paint("1;34", &start.line.to_string()),
        snip.line
    );
    let mut carets = "^".repeat(snip.width);
    if end.line > start.line {
        let _ = write!(carets, " (continues to line {})", end.line);
    }
    let _ = writeln!(
        out,
        "{pad} {bar} {}{}",
        " ".repeat(snip.lead),
        style.paint(severity_color(f.severity), &carets)
    );
    for s in &f.suggestions {
        let what = fix_description(s);
        let _ = writeln!(out, "{pad} {} fix: {what}", style.paint("1;34", "="));
    }
    if !f.also.is_empty() {
        let _ = writeln!(
            out,
            "{pad} {} also flagged by: {}",
            style.paint("1;34", "="),
            f.also.join(", ")
        );
    }
    if f.mode == Mode::Monitor {
        let _ = writeln!(
            out,
            "{pad} {} monitor mode: recorded for audit, not shown to the user",
            style.paint("1;34", "=")
        );
    }
    if let Some(link) = &f.link {
        let _ = writeln!(out, "{pad} {} policy: {link}", style.paint("1;34", "="));
    }
    out.push('\n');
}

/// What a suggestion does, in words: `replace with "potential returns"`, `delete it`,
/// `append " #ad"`.
pub fn fix_description(s: &Suggestion) -> String {
    if s.span.start == s.span.end {
        format!("append {:?}", s.replacement)
    } else if s.replacement.is_empty() {
        "delete it".to_string()
    } else {
        format!("replace with {:?}", s.replacement)
    }
}

/// One draft's report: its findings (the first `max_findings`, then how many more) and its
/// summary line, which always counts every finding. Locations read `LABEL:LINE:COLUMN`,
/// or `LABEL, LINE:COLUMN` when the label already ends with a line number (a JSON Lines
/// record named by its file and line: `posts.jsonl:17, 1:5`).
pub fn draft(
    out: &mut String,
    (label, numbered): (&str, bool),
    text: &str,
    report: &Report<'_>,
    style: &Style,
) {
    let sep = if numbered { ", " } else { ":" };
    let findings = report.findings();
    let shown = style.max_findings.unwrap_or(usize::MAX).min(findings.len());
    for (i, f) in findings[..shown].iter().enumerate() {
        finding(out, label, text, f, report.span(i), style, sep);
    }
    let rest = findings.len() - shown;
    if rest > 0 {
        let _ = writeln!(
            out,
            "… {rest} more finding{} in {label} not shown (--max-findings {shown})\n",
            plural(rest)
        );
    }
    let counts = Counts::of(findings);
    let _ = writeln!(out, "{}", counts.summary(label));
}

fn plural(n: usize) -> &'static str {
    if n == 1 { "" } else { "s" }
}

/// Findings of one draft or many, by severity (enforced ones) and mode.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Counts {
    pub block: usize,
    pub warn: usize,
    pub info: usize,
    pub monitor: usize,
}

impl Counts {
    pub fn of(findings: &[Finding]) -> Counts {
        let mut c = Counts::default();
        for f in findings {
            match (f.mode, f.severity) {
                (Mode::Monitor, _) => c.monitor += 1,
                (Mode::Enforce, Severity::Block) => c.block += 1,
                (Mode::Enforce, Severity::Warn) => c.warn += 1,
                (Mode::Enforce, Severity::Info) => c.info += 1,
            }
        }
        c
    }

    pub fn add(&mut self, o: Counts) {
        self.block += o.block;
        self.warn += o.warn;
        self.info += o.info;
        self.monitor += o.monitor;
    }

    fn enforced(&self) -> usize {
        self.block + self.warn + self.info
    }

    /// `N findings (B block, W warn, I info)`, `, M monitor` when there are any.
    fn findings(&self) -> String {
        let n = self.enforced();
        let mut s = format!(
            "{n} finding{} ({} block, {} warn, {} info)",
            plural(n),
            self.block,
            self.warn,
            self.info
        );
        if self.monitor > 0 {
            let _ = write!(s, ", {} monitor", self.monitor);
        }
        s
    }

    /// A draft's summary line.
    pub fn summary(&self, label: &str) -> String {
        let mut s = if self.enforced() == 0 {
            let mut s = format!("{label}: no findings");
            if self.monitor > 0 {
                let _ = write!(s, ", {} monitor", self.monitor);
            }
            s
        } else {
            format!("{label}: {}", self.findings())
        };
        if self.block > 0 {
            s.push_str(" — posting would be blocked");
        }
        s
    }
}

/// What `check` saw over all its drafts, for the total line of a many-draft report.
#[derive(Debug, Clone, Copy, Default)]
pub struct Totals {
    pub drafts: usize,
    /// Drafts with at least one finding (monitor ones included).
    pub flagged: usize,
    /// Drafts posting would be blocked for.
    pub blocked: usize,
    /// Drafts that could not be read or parsed.
    pub failed: usize,
    pub counts: Counts,
}

impl Totals {
    /// `10000 drafts checked: 1000 findings (...) in 1000 drafts; 2 drafts would be
    /// blocked; 1 could not be checked (see the errors above)`.
    pub fn line(&self) -> String {
        let mut s = format!("{} draft{} checked: ", self.drafts, plural(self.drafts));
        if self.flagged == 0 {
            s.push_str("no findings");
        } else {
            let _ = write!(
                s,
                "{} in {} draft{}",
                self.counts.findings(),
                self.flagged,
                plural(self.flagged)
            );
        }
        if self.blocked > 0 {
            let _ = write!(
                s,
                "; {} draft{} would be blocked",
                self.blocked,
                plural(self.blocked)
            );
        }
        if self.failed > 0 {
            let _ = write!(
                s,
                "; {} could not be checked (errors on stderr)",
                self.failed
            );
        }
        s
    }
}
