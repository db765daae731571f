//! `--format json` (one document) and `--format jsonl` (one line per draft): a draft as
//! JSON, with the findings of the library's one serializer (`report::Report`, spans in
//! bytes, chars, UTF-16 and line/column).

use serde::Serialize;

use draftguard::Policy;
use draftguard::report::{FindingJson, Report, Units};

use crate::inputs::{Defaults, Draft, Failure};

/// A checked draft: where it came from, what it was checked for, and its findings.
#[derive(Serialize)]
struct DraftJson<'a> {
    /// The draft's `id`, else its file (and line).
    source: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    id: Option<&'a str>,
    file: String,
    /// The line of a JSON Lines file.
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    platform: Option<&'static str>,
    date: String,
    /// An enforced block finding: posting would be stopped.
    blocked: bool,
    findings: Vec<FindingJson<'a>>,
}

/// A draft that could not be checked, in its place among the others.
#[derive(Serialize)]
struct FailureJson {
    source: String,
    file: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<usize>,
    error: String,
}

/// One draft, compact (a JSON Lines line, without its newline).
pub fn draft(d: &Draft, report: &Report<'_>, blocked: bool) -> String {
    serde_json::to_string(&draft_json(d, report, blocked)).expect("a report serializes")
}

/// One draft, pretty-printed and indented to sit in the document's `drafts` array.
pub fn draft_pretty(d: &Draft, report: &Report<'_>, blocked: bool) -> String {
    indent(&draft_json(d, report, blocked), 4)
}

fn draft_json<'a>(d: &'a Draft, report: &Report<'a>, blocked: bool) -> DraftJson<'a> {
    DraftJson {
        source: d.label(),
        id: d.id.as_deref(),
        file: d.from.file(),
        line: d.from.line(),
        platform: d.platform.map(|p| p.name()),
        date: d.date.to_string(),
        blocked,
        findings: report.json(Units::All),
    }
}

fn failure_json(f: &Failure) -> FailureJson {
    FailureJson {
        source: f.from.place(),
        file: f.from.file(),
        line: f.from.line(),
        error: f.message.clone(),
    }
}

/// A failure, compact.
pub fn failure(f: &Failure) -> String {
    serde_json::to_string(&failure_json(f)).expect("a failure serializes")
}

/// A failure, indented for the `drafts` array.
pub fn failure_pretty(f: &Failure) -> String {
    indent(&failure_json(f), 4)
}

/// `value` pretty-printed, every line indented by `by` spaces. (JSON strings hold no raw
/// line breaks, so indenting after each one is safe.)
pub fn indent(value: &impl Serialize, by: usize) -> String {
    let pretty = serde_json::to_string_pretty(value).expect("JSON serializes");
    let pad = " ".repeat(by);
    let mut out = String::with_capacity(pretty.len() + pretty.len() / 8);
    for (i, line) in pretty.split('\n').enumerate() {
        if i > 0 {
            out.push('\n');
        }
        out.push_str(&pad);
        out.push_str(line);
    }
    out
}

/// The document's opening, up to its `drafts` array: the policy, and the platform and
/// day drafts are checked for unless they say otherwise.
pub fn head(policy: &Policy, defaults: Defaults) -> String {
    let policy = serde_json::json!({
        "id": policy.id,
        "version": policy.version.as_ref().map(|v| v.to_string()),
        "title": policy.title,
        "layers": policy.layers,
        "settings": policy.settings,
    });
    format!(
        "{{\n  \"policy\": {},\n  \"platform\": {},\n  \"date\": \"{}\",\n  \"drafts\": [",
        indent(&policy, 2).trim_start(),
        serde_json::to_string(&defaults.platform.map(|p| p.name())).expect("JSON"),
        defaults.date
    )
}

/// The document's end: whether any draft would be blocked.
pub fn tail(any: bool, blocked: bool) -> String {
    format!(
        "{}],\n  \"blocked\": {blocked}\n}}\n",
        if any { "\n  " } else { "" }
    )
}
