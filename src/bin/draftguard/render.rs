//! Compiler-style rendering of findings: the line, a caret underline, the message, the fix.

use std::fmt::Write;

use draftguard::offsets::Point;
use draftguard::{Finding, Mode, Severity};
use unicode_width::UnicodeWidthStr;

pub struct Style {
    pub color: bool,
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
/// converted with every other span of the draft (`report::Report`).
pub fn finding(
    out: &mut String,
    label: &str,
    text: &str,
    f: &Finding,
    (start, end): (Point, Point),
    style: &Style,
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
        "{pad}{} {label}:{}:{}",
        style.paint("1;34", "-->"),
        start.line,
        start.column
    );
    let line_start = text[..f.span.start].rfind('\n').map_or(0, |i| i + 1);
    let line_end = text[f.span.start..]
        .find('\n')
        .map_or(text.len(), |i| f.span.start + i);
    let line = &text[line_start..line_end];
    let bar = style.paint("1;34", "|");
    let _ = writeln!(out, "{pad} {bar}");
    let _ = writeln!(
        out,
        "{} {bar} {}",
        style.paint("1;34", &start.line.to_string()),
        printable(line)
    );
    let lead = printable(&text[line_start..f.span.start]).width();
    let under_end = f.span.end.min(line_end);
    let width = printable(&text[f.span.start..under_end]).width().max(1);
    let mut carets = "^".repeat(width);
    if end.line > start.line {
        let _ = write!(carets, " (continues to line {})", end.line);
    }
    let _ = writeln!(
        out,
        "{pad} {bar} {}{}",
        " ".repeat(lead),
        style.paint(severity_color(f.severity), &carets)
    );
    for s in &f.suggestions {
        let what = if s.span.start == s.span.end {
            format!("append {:?}", s.replacement)
        } else if s.replacement.is_empty() {
            "delete it".to_string()
        } else {
            format!("replace with {:?}", s.replacement)
        };
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

/// Tabs and control characters as one visible column each, so carets line up.
fn printable(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c == '\t' {
                ' '
            } else if c.is_control() {
                '\u{FFFD}'
            } else {
                c
            }
        })
        .collect()
}
