//! `draftguard check --format sarif`: valid SARIF 2.1.0 (checked against the official
//! schema, vendored in tests/sarif/), with the rules, levels, regions and fixes a
//! code-scanning service shows in review.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::{Value, json};

const POLICY: &str = r#"policy: t
link: https://intranet.acme.example/policy
rules:
  - id: promissory
    kind: phrases
    severity: block
    message: "Promising returns is not allowed."
    phrases: ["guaranteed returns"]
    suggest: {"guaranteed returns": "potential returns"}
  - {id: hype, kind: phrases, phrases: [moon], link: "wiki/hype"}
  - {id: tip, kind: phrases, severity: info, phrases: [tip]}
  - {id: watch, kind: phrases, mode: monitor, phrases: [crypto]}
"#;

fn workdir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("draftguard-sarif-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(dir.join("drafts")).unwrap();
    std::fs::write(dir.join("policy.yaml"), POLICY).unwrap();
    // 😀 is 4 bytes, 1 code point, 2 UTF-16 units.
    std::fs::write(
        dir.join("drafts/q3 post.txt"),
        "😀 line one\nOur guaranteed returns!",
    )
    .unwrap();
    std::fs::write(dir.join("drafts/z.txt"), "to the moon, a tip, crypto").unwrap();
    std::fs::write(
        dir.join("posts.jsonl"),
        "{\"id\": \"p-1\", \"text\": \"guaranteed returns\"}\n{\"txt\": \"oops\"}\n",
    )
    .unwrap();
    dir
}

/// Runs the binary in `dir` and returns its exit code and the SARIF log, validated.
fn sarif(dir: &Path, args: &[&str]) -> (i32, Value) {
    let out = Command::new(env!("CARGO_BIN_EXE_draftguard"))
        .current_dir(dir)
        .args(["check", "-p", "policy.yaml", "--format", "sarif"])
        .args(args)
        .output()
        .unwrap();
    let log: Value = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
        panic!("{e}: {}", String::from_utf8_lossy(&out.stdout));
    });
    validate(&log);
    (out.status.code().unwrap(), log)
}

/// The official schema, with formats (`uri`, `uri-reference`, `date-time`) checked.
///
/// Its two `language` patterns (`^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$`) carry a stray
/// `]` that the draft-07 meta-schema's `format: regex` refuses when formats are checked,
/// so they are replaced by the pattern they mean. draftguard never writes `language`.
fn validator() -> jsonschema::Validator {
    const STRAY: &str = r#""^[a-zA-Z]{2}|^[a-zA-Z]{2}-[a-zA-Z]{2}]?$""#;
    const MEANT: &str = r#""^[a-zA-Z]{2}(-[a-zA-Z]{2})?$""#;
    let text = include_str!("sarif/sarif-schema-2.1.0.json");
    assert_eq!(
        text.matches(STRAY).count(),
        2,
        "the vendored schema changed"
    );
    let schema: Value = serde_json::from_str(&text.replace(STRAY, MEANT)).unwrap();
    jsonschema::options()
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

fn validate(log: &Value) {
    let validator = validator();
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "not valid SARIF 2.1.0:\n{}",
        errors.join("\n")
    );
}

#[test]
fn the_schema_catches_what_is_not_sarif() {
    // The validator is live: a log that breaks the schema is refused.
    let v = validator();
    assert!(v.is_valid(&json!({"version": "2.1.0", "runs": []})));
    assert!(!v.is_valid(&json!({"version": "2.0.0", "runs": []})));
    let bad_level = json!({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x"}},
        "results": [{"message": {"text": "m"}, "level": "block"}]}]});
    assert!(!v.is_valid(&bad_level));
    let bad_uri = json!({"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "x",
        "rules": [{"id": "r", "helpUri": "wiki/hype"}]}}}]});
    assert!(!v.is_valid(&bad_uri), "helpUri must be an absolute URI");
}

#[test]
fn rules_results_regions_and_fixes() {
    let dir = workdir("files");
    let (code, log) = sarif(&dir, &["drafts"]);
    assert_eq!(code, 1, "a block finding exits 1");
    assert_eq!(log["version"], "2.1.0");
    let runs = log["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let run = &runs[0];
    assert_eq!(run["columnKind"], "unicodeCodePoints");
    let cwd = dir.canonicalize().unwrap();
    assert_eq!(
        run["originalUriBaseIds"]["%SRCROOT%"]["uri"],
        format!("file://{}/", cwd.display())
    );

    let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
    assert_eq!(run["tool"]["driver"]["name"], "draftguard");
    assert_eq!(
        rules[0],
        json!({
            "id": "promissory",
            "shortDescription": {"text": "Promising returns is not allowed."},
            "defaultConfiguration": {"level": "error"},
            "helpUri": "https://intranet.acme.example/policy",
            "properties": {"kind": "phrases", "mode": "enforce"},
        })
    );
    assert_eq!(
        rules[1]["shortDescription"]["text"],
        "“…” is not allowed by the social media policy."
    );
    assert_eq!(rules[1]["defaultConfiguration"]["level"], "warning");
    // A link that is not an absolute URI is help text, not a helpUri.
    assert_eq!(rules[1]["help"]["text"], "Policy: wiki/hype");
    assert!(rules[1].get("helpUri").is_none());
    assert_eq!(rules[2]["defaultConfiguration"]["level"], "note");
    assert_eq!(rules[3]["properties"]["mode"], "monitor");

    let results = run["results"].as_array().unwrap();
    let location = json!({"uri": "drafts/q3%20post.txt", "uriBaseId": "%SRCROOT%"});
    // Line 2, columns 5 to 23 (code points, the end exclusive); "😀 line one\nOur " is
    // 18 bytes (4 + 9 + 1 + 4) and 15 code points.
    let region = json!({
        "startLine": 2, "startColumn": 5, "endLine": 2, "endColumn": 23,
        "charOffset": 15, "charLength": 18, "byteOffset": 18, "byteLength": 18,
    });
    let mut with_snippet = region.clone();
    with_snippet["snippet"] = json!({"text": "guaranteed returns"});
    assert_eq!(
        results[0],
        json!({
            "ruleId": "promissory",
            "ruleIndex": 0,
            "level": "error",
            "message": {"text": "Promising returns is not allowed."},
            "locations": [{"physicalLocation": {
                "artifactLocation": location,
                "region": with_snippet,
            }}],
            "fixes": [{
                "description": {"text": "replace with \"potential returns\""},
                "artifactChanges": [{
                    "artifactLocation": location,
                    "replacements": [{
                        "deletedRegion": region,
                        "insertedContent": {"text": "potential returns"},
                    }],
                }],
            }],
            "properties": {"kind": "phrases", "mode": "enforce"},
        })
    );
    let summary: Vec<(&str, &str, &str, bool)> = results
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap(),
                r["level"].as_str().unwrap(),
                r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
                    .as_str()
                    .unwrap(),
                r.get("suppressions").is_some(),
            )
        })
        .collect();
    assert_eq!(
        summary,
        [
            ("promissory", "error", "drafts/q3%20post.txt", false),
            ("hype", "warning", "drafts/z.txt", false),
            ("tip", "note", "drafts/z.txt", false),
            // Monitor mode: recorded for audit, not shown to the writer.
            ("watch", "warning", "drafts/z.txt", true),
        ]
    );
    assert_eq!(results[3]["suppressions"][0]["kind"], "external");
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
    assert_eq!(
        run["invocations"][0]["toolExecutionNotifications"],
        json!([])
    );
}

#[test]
fn json_lines_records_and_unreadable_drafts() {
    let dir = workdir("jsonl");
    let (code, log) = sarif(&dir, &["--input", "jsonl", "posts.jsonl", "missing.jsonl"]);
    assert_eq!(code, 2, "drafts that could not be checked exit 2");
    let run = &log["runs"][0];
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 1);
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["artifactLocation"],
        json!({
            "uri": "posts.jsonl#p-1",
            "uriBaseId": "%SRCROOT%",
            "description": {"text": "posts.jsonl, line 1 (p-1)"},
        })
    );
    assert_eq!(
        results[0]["locations"][0]["physicalLocation"]["region"]["startColumn"],
        1
    );
    let invocation = &run["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    let notes = invocation["toolExecutionNotifications"].as_array().unwrap();
    assert_eq!(notes.len(), 2);
    assert_eq!(notes[0]["level"], "error");
    assert_eq!(
        notes[0]["message"]["text"],
        "posts.jsonl:2: missing field `text` (column 15)"
    );
    assert_eq!(
        notes[0]["locations"][0]["physicalLocation"],
        json!({
            "artifactLocation": {"uri": "posts.jsonl", "uriBaseId": "%SRCROOT%"},
            "region": {"startLine": 2},
        })
    );
    let missing = notes[1]["message"]["text"].as_str().unwrap();
    assert!(
        missing.starts_with("cannot read missing.jsonl: "),
        "{missing}"
    );
}

#[test]
fn a_draft_without_findings_is_an_empty_run() {
    let dir = workdir("empty");
    let (code, log) = sarif(&dir, &["--text", "all good"]);
    assert_eq!(code, 0);
    assert_eq!(log["runs"][0]["results"], json!([]));
}
