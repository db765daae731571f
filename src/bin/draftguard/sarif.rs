//! `--format sarif`: SARIF 2.1.0, the format code-scanning services read, so findings
//! show up in review next to the drafts they are in.
//!
//! One run. `tool.driver.rules` lists every rule of the policy with its message, its link
//! (`helpUri`) and its severity as the default level (block -> `error`, warn ->
//! `warning`, info -> `note`). Each finding is a result with the rule's id and index, its
//! level, its message, and one location: the file (a URI reference relative to the
//! current directory, `%SRCROOT%`) and a region in lines and columns (code points,
//! `columnKind: unicodeCodePoints`), chars and bytes, with the flagged text as snippet.
//! Suggestions are `fixes` (each one replacement). Monitor-mode findings carry an
//! external suppression: they are recorded for audit and not shown to the writer. Drafts
//! that could not be read are `invocations[0].toolExecutionNotifications`.
//!
//! A draft from a JSON Lines file is named by its file plus a fragment: its `id`
//! (`posts.jsonl#post-17`) or its line (`posts.jsonl#line=17`); the region is in the
//! draft's text. Drafts from stdin or `--text` have no URI, only a description.

use std::borrow::Cow;
use std::collections::HashMap;
use std::path::{Component, Path, PathBuf};

use draftguard::offsets::Point;
use draftguard::report::Report;
use draftguard::{Engine, Mode, Severity};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, utf8_percent_encode};
use serde::Serialize;
use serde_json::{Value, json};

use crate::inputs::{Draft, Failure, From};
use crate::json::indent;
use crate::render::fix_description;

/// What stays as is in a URI path segment or fragment: RFC 3986's unreserved characters.
const ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'.')
    .remove(b'_')
    .remove(b'~');

const SRCROOT: &str = "%SRCROOT%";

fn level(s: Severity) -> &'static str {
    match s {
        Severity::Block => "error",
        Severity::Warn => "warning",
        Severity::Info => "note",
    }
}

/// A rule's message as a description: placeholders stand for what they will hold.
fn describe(template: &str, rule: &str) -> String {
    template
        .replace("{match}", "…")
        .replace("{detail}", "…")
        .replace("{rule}", rule)
}

/// `https://...`, `mailto:...`: what `helpUri` accepts. Anything else goes in `help`.
fn is_absolute_uri(s: &str) -> bool {
    let Some((scheme, rest)) = s.split_once(':') else {
        return false;
    };
    let mut chars = scheme.chars();
    chars.next().is_some_and(|c| c.is_ascii_alphabetic())
        && chars.all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
        && !rest.is_empty()
        && !s.contains(char::is_whitespace)
}

/// What every part of the log needs: the engine's rules and the current directory.
pub struct Sarif<'a> {
    engine: &'a Engine,
    /// Rule id to its index in `tool.driver.rules`.
    index: HashMap<&'a str, usize>,
    cwd: PathBuf,
}

impl<'a> Sarif<'a> {
    pub fn new(engine: &'a Engine, cwd: PathBuf) -> Sarif<'a> {
        let index = engine
            .policy()
            .rules
            .iter()
            .enumerate()
            .map(|(i, r)| (r.id.as_str(), i))
            .collect();
        Sarif { engine, index, cwd }
    }

    /// The log's opening, up to and including `"results": [`.
    pub fn head(&self) -> String {
        let (engine, cwd) = (self.engine, &self.cwd);
        let policy = engine.policy();
        let rules: Vec<Value> = policy
            .rules
            .iter()
            .enumerate()
            .map(|(i, r)| {
                let mut rule = json!({
                    "id": r.id,
                    "shortDescription": { "text": describe(engine.message_template(i), &r.id) },
                    "defaultConfiguration": { "level": level(r.severity) },
                    "properties": { "kind": r.kind.name(), "mode": r.mode.name() },
                });
                match r.link.as_ref().or(policy.link.as_ref()) {
                    Some(l) if is_absolute_uri(l) => rule["helpUri"] = json!(l),
                    Some(l) => rule["help"] = json!({ "text": format!("Policy: {l}") }),
                    None => {}
                }
                rule
            })
            .collect();
        let run = json!({
            "tool": {
                "driver": {
                    "name": "draftguard",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "rules": rules,
                    "properties": {
                        "policy": {
                            "id": policy.id,
                            "version": policy.version.as_ref().map(|v| v.to_string()),
                            "layers": policy.layers,
                        },
                    },
                },
            },
            "originalUriBaseIds": { SRCROOT: { "uri": directory_uri(cwd) } },
            "columnKind": "unicodeCodePoints",
        });
        let run = indent(&run, 4);
        let run = run.strip_suffix("\n    }").expect("an object ends with }");
        format!(
            "{{\n  \"$schema\": \"https://json.schemastore.org/sarif-2.1.0.json\",\n  \"version\": \"2.1.0\",\n  \"runs\": [\n{run},\n      \"results\": ["
        )
    }

    /// The log's end: the invocation, successful unless a draft could not be checked.
    pub fn tail(any: bool, notifications: &[Value]) -> String {
        let invocation = json!([{
            "executionSuccessful": notifications.is_empty(),
            "toolExecutionNotifications": notifications,
        }]);
        format!(
            "{}],\n      \"invocations\": {}\n    }}\n  ]\n}}\n",
            if any { "\n      " } else { "" },
            indent(&invocation, 6).trim_start()
        )
    }

    /// The results of one draft, each pretty-printed and indented for the `results` array,
    /// joined with `,\n` (empty when the draft has no findings).
    pub fn results(&self, d: &Draft, report: &Report<'_>) -> String {
        let artifact = artifact(&d.from, d.id.as_deref(), &self.cwd);
        let mut out = String::new();
        for (i, f) in report.findings().iter().enumerate() {
            let rule_index = self.index.get(f.rule.as_str()).copied();
            let result = ResultJson {
                rule_id: &f.rule,
                rule_index,
                level: level(f.severity),
                message: Text::from(f.message.as_str()),
                locations: [Location {
                    physical_location: Physical {
                        artifact_location: &artifact,
                        region: region(report.span(i), Some(&f.text)),
                    },
                }],
                fixes: f
                    .suggestions
                    .iter()
                    .enumerate()
                    .map(|(j, s)| Fix {
                        description: Text::from(fix_description(s)),
                        artifact_changes: [Change {
                            artifact_location: &artifact,
                            replacements: [Replacement {
                                deleted_region: region(report.suggestion_span(i, j), None),
                                inserted_content: Text::from(s.replacement.as_str()),
                            }],
                        }],
                    })
                    .collect(),
                suppressions: (f.mode == Mode::Monitor).then_some([Suppression {
                    kind: "external",
                    justification: "monitor mode: recorded for audit, not shown to the writer",
                }]),
                properties: Properties {
                    kind: f.kind.name(),
                    mode: f.mode.name(),
                    also: &f.also,
                },
            };
            if !out.is_empty() {
                out.push_str(",\n");
            }
            out.push_str(&indent(&result, 8));
        }
        out
    }

    /// A draft that could not be checked, as a tool execution notification.
    pub fn notification(&self, f: &Failure) -> Value {
        // The location is the file (and line) itself, not a draft in it.
        let file = match &f.from {
            From::File { path, .. } => From::File {
                path: path.clone(),
                line: None,
            },
            From::Stdin { .. } => From::Stdin { line: None },
            From::Text => From::Text,
        };
        let mut location = json!({ "artifactLocation": artifact(&file, None, &self.cwd) });
        if let Some(line) = f.from.line() {
            location["region"] = json!({ "startLine": line });
        }
        json!({
            "level": "error",
            "message": { "text": f.message },
            "locations": [{ "physicalLocation": location }],
        })
    }
}

fn region<'a>((start, end): (Point, Point), snippet: Option<&'a str>) -> Region<'a> {
    Region {
        start_line: start.line,
        start_column: start.column,
        end_line: end.line,
        end_column: end.column,
        char_offset: start.char,
        char_length: end.char - start.char,
        byte_offset: start.byte,
        byte_length: end.byte - start.byte,
        snippet: snippet.map(Text::from),
    }
}

/// Where a draft is: a file relative to the current directory (or a `file:` URI outside
/// it), a fragment for a JSON Lines record, a description for stdin and `--text`.
fn artifact(from: &From, id: Option<&str>, cwd: &Path) -> Artifact {
    let record = |line: usize| match id {
        Some(id) => format!("line {line} ({id})"),
        None => format!("line {line}"),
    };
    match from {
        From::Text => Artifact::described("the --text argument".into()),
        From::Stdin { line } => Artifact::described(match line {
            Some(l) => format!("standard input, {}", record(*l)),
            None => "standard input".into(),
        }),
        From::File { path, line } => {
            let (mut uri, base) = match relative(path, cwd) {
                Some(rel) => (rel, Some(SRCROOT)),
                None => (file_uri(path), None),
            };
            let description = line.map(|l| {
                uri.push('#');
                match id {
                    Some(id) => uri.extend(utf8_percent_encode(id, ENCODE)),
                    None => uri.push_str(&format!("line={l}")),
                }
                Text::from(format!("{}, {}", path.display(), record(l)))
            });
            Artifact {
                uri: Some(uri),
                uri_base_id: base,
                description,
            }
        }
    }
}

/// `path` as a relative URI reference from `cwd` (`drafts/a%20b.txt`), if it is under
/// `cwd` or already relative.
fn relative(path: &Path, cwd: &Path) -> Option<String> {
    let rel = if path.is_absolute() {
        path.strip_prefix(cwd).ok()?
    } else {
        path
    };
    let mut parts = Vec::new();
    for c in rel.components() {
        match c {
            Component::CurDir => {}
            Component::ParentDir => parts.push("..".to_string()),
            Component::Normal(s) => {
                parts.push(utf8_percent_encode(&s.to_string_lossy(), ENCODE).to_string())
            }
            Component::RootDir | Component::Prefix(_) => return None,
        }
    }
    Some(parts.join("/"))
}

/// A folder as a `file:` URI ending in `/`, as a base URI must.
fn directory_uri(dir: &Path) -> String {
    let mut uri = file_uri(dir);
    if !uri.ends_with('/') {
        uri.push('/');
    }
    uri
}

/// An absolute path as a `file:` URI.
fn file_uri(path: &Path) -> String {
    let mut uri = String::from("file://");
    for c in path.components() {
        match c {
            Component::Prefix(p) => {
                uri.push('/');
                uri.push_str(&p.as_os_str().to_string_lossy());
            }
            Component::RootDir => {}
            Component::CurDir => continue,
            Component::ParentDir => uri.push_str("/.."),
            Component::Normal(s) => {
                uri.push('/');
                uri.extend(utf8_percent_encode(&s.to_string_lossy(), ENCODE));
            }
        }
    }
    if uri == "file://" {
        uri.push('/');
    }
    uri
}

#[derive(Serialize)]
struct Text<'a> {
    text: Cow<'a, str>,
}

impl<'a> std::convert::From<&'a str> for Text<'a> {
    fn from(s: &'a str) -> Self {
        Text {
            text: Cow::Borrowed(s),
        }
    }
}

impl std::convert::From<String> for Text<'_> {
    fn from(s: String) -> Self {
        Text {
            text: Cow::Owned(s),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Artifact {
    #[serde(skip_serializing_if = "Option::is_none")]
    uri: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    uri_base_id: Option<&'static str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    description: Option<Text<'static>>,
}

impl Artifact {
    fn described(text: String) -> Artifact {
        Artifact {
            uri: None,
            uri_base_id: None,
            description: Some(Text::from(text)),
        }
    }
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct ResultJson<'a> {
    rule_id: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    rule_index: Option<usize>,
    level: &'static str,
    message: Text<'a>,
    locations: [Location<'a>; 1],
    #[serde(skip_serializing_if = "Vec::is_empty")]
    fixes: Vec<Fix<'a>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    suppressions: Option<[Suppression; 1]>,
    properties: Properties<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Location<'a> {
    physical_location: Physical<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Physical<'a> {
    artifact_location: &'a Artifact,
    region: Region<'a>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Region<'a> {
    start_line: usize,
    start_column: usize,
    end_line: usize,
    end_column: usize,
    char_offset: usize,
    char_length: usize,
    byte_offset: usize,
    byte_length: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    snippet: Option<Text<'a>>,
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Fix<'a> {
    description: Text<'a>,
    artifact_changes: [Change<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Change<'a> {
    artifact_location: &'a Artifact,
    replacements: [Replacement<'a>; 1],
}

#[derive(Serialize)]
#[serde(rename_all = "camelCase")]
struct Replacement<'a> {
    deleted_region: Region<'a>,
    inserted_content: Text<'a>,
}

#[derive(Serialize)]
struct Suppression {
    kind: &'static str,
    justification: &'static str,
}

#[derive(Serialize)]
struct Properties<'a> {
    kind: &'static str,
    mode: &'static str,
    /// Other rules that flagged the same text.
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    also: &'a [String],
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_uri_references_relative_to_the_current_directory() {
        let cwd = Path::new("/home/ann/work");
        assert_eq!(
            relative(Path::new("./drafts/q3 post#1.txt"), cwd).unwrap(),
            "drafts/q3%20post%231.txt"
        );
        assert_eq!(
            relative(Path::new("/home/ann/work/a/b.txt"), cwd).unwrap(),
            "a/b.txt"
        );
        assert_eq!(relative(Path::new("../x.txt"), cwd).unwrap(), "../x.txt");
        assert_eq!(relative(Path::new("/etc/draft.txt"), cwd), None);
        assert_eq!(
            file_uri(Path::new("/etc/dräft.txt")),
            "file:///etc/dr%C3%A4ft.txt"
        );
        assert_eq!(file_uri(Path::new("/")), "file:///");
    }

    #[test]
    fn only_absolute_uris_are_help_uris() {
        assert!(is_absolute_uri("https://intranet.acme.example/policy"));
        assert!(is_absolute_uri("mailto:compliance@acme.example"));
        assert!(!is_absolute_uri("intranet/policy"));
        assert!(!is_absolute_uri("see the wiki: page 3"));
    }
}
