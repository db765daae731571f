//! The approved content library from the command line: `library` lists entries,
//! `test` and `bundle` refuse an entry the policy blocks (naming the entry and the rule)
//! and list warnings, `lint` warns about ended and over-long entries, `schema` has it.

use std::process::Command;

fn run(args: &[&str]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_draftguard"))
        .args(args)
        .output()
        .expect("binary runs");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn dir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("draftguard-lib-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

const RULES: &str = "policy: t\nversion: \"1\"\nrules:\n  - {id: promissory, kind: phrases, severity: block, phrases: [guaranteed returns]}\n  - {id: hype, kind: phrases, severity: warn, phrases: [moon]}\n";

const GOOD: &str = "library:\n  - id: launch\n    title: Launch day\n    text: \"We launched! {link} Thanks, {name}.\"\n    link: https://acme.example/launch\n    platforms: [linkedin, x]\n    tags: [launch]\n    lang: en\n    active: {from: 2026-11-01, until: 2026-12-31}\n    note: COMP-1\n  - id: moon\n    title: Moon\n    text: To the moon\n    platforms: [x]\n";

const BAD: &str = "library:\n  - id: promise\n    title: Promise\n    text: Guaranteed returns for everyone\n    platforms: [linkedin]\n";

fn write(d: &std::path::Path, name: &str, text: &str) -> String {
    let p = d.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

#[test]
fn library_lists_entries_for_a_platform_and_day() {
    let d = dir("list");
    let p = write(&d, "t.yaml", &format!("{RULES}{GOOD}"));
    let (code, out, err) = run(&[
        "library",
        &p,
        "--platform",
        "linkedin",
        "--date",
        "2026-11-23",
    ]);
    assert_eq!(code, 0, "{err}");
    assert_eq!(
        out,
        "launch  Launch day  [linkedin, x; tags: launch; lang: en; active: 2026-11-01..2026-12-31]\n    We launched! https://acme.example/launch Thanks, {name}.\n    (note: COMP-1)\n\nt: 1 of 2 approved posts offered on linkedin on 2026-11-23\n"
    );
    let (_, out, _) = run(&[
        "library",
        &p,
        "--platform",
        "x",
        "--date",
        "2027-01-01",
        "--format",
        "json",
    ]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    assert_eq!(v["entries"].as_array().unwrap().len(), 1);
    assert_eq!(v["entries"][0]["id"], "moon");
    let (_, out, _) = run(&["library", &p, "--format", "json"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let e = &v["entries"][0];
    assert_eq!(
        e["text"],
        "We launched! https://acme.example/launch Thanks, {name}."
    );
    assert_eq!(e["placeholders"][0]["name"], "name");
    assert_eq!(
        e["placeholders"][0]["span"]["chars"],
        serde_json::json!([49, 55])
    );
    assert!(e.get("note").is_none(), "authors' notes are not offered");

    let (code, _, err) = run(&["library", &p, "--platform", "myspace"]);
    assert_eq!(code, 2);
    assert!(err.contains("unknown platform `myspace`"), "{err}");
}

#[test]
fn test_fails_on_a_blocked_entry_and_lists_warnings() {
    let d = dir("test");
    let p = write(&d, "t.yaml", &format!("{RULES}{GOOD}"));
    let (code, out, _) = run(&["test", &p, "--date", "2026-11-23"]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("  OK     launch  (linkedin, x)\n"), "{out}");
    assert!(
        out.contains("  WARN   moon: rule `hype` (warn) on x: \"moon\""),
        "{out}"
    );
    assert!(
        out.ends_with("library: 2 approved posts pass, 0 blocked\n"),
        "{out}"
    );

    let p = write(&d, "bad.yaml", &format!("{RULES}{BAD}"));
    let (code, out, _) = run(&["test", "-q", &p]);
    assert_eq!(code, 1, "{out}");
    assert!(out.contains("  BLOCK  promise  ("), "{out}");
    assert!(out.contains("bad.yaml:7:9)\n"), "{out}");
    assert!(
        out.contains("rule `promissory` (block) on linkedin: \"Guaranteed returns\""),
        "{out}"
    );
    assert!(
        out.ends_with("library: 0 approved posts pass, 1 blocked\n"),
        "{out}"
    );
}

#[test]
fn bundle_refuses_a_blocked_entry_and_signs_an_approved_library() {
    let d = dir("bundle");
    let base = d.join("k").display().to_string();
    assert_eq!(run(&["keygen", "--out", &base]).0, 0);
    let key = format!("{base}.key");
    let out = d.join("b.json").display().to_string();
    let bad = write(&d, "bad.yaml", &format!("{RULES}{BAD}"));
    let (code, _, err) = run(&["bundle", &bad, "--key", &key, "-o", &out]);
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("not signing: 1 approved post(s) would be blocked by the policy:\n  library entry `promise`"),
        "{err}"
    );
    assert!(
        err.contains("rule `promissory` (block) on linkedin"),
        "{err}"
    );
    assert!(!std::path::Path::new(&out).exists());

    let good = write(&d, "good.yaml", &format!("{RULES}{GOOD}"));
    let (code, _, err) = run(&[
        "bundle",
        &good,
        "--key",
        &key,
        "-o",
        &out,
        "--issued-at",
        "2026-11-23T00:00:00Z",
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(
        err.contains("warning: library entry `moon`: rule `hype` (warn) on x"),
        "{err}"
    );
    let (code, out, _) = run(&[
        "verify",
        &out,
        "--pubkey",
        &format!("{base}.pub"),
        "--now",
        "2026-11-24T00:00:00Z",
    ]);
    assert_eq!(code, 0, "{out}");
    assert!(out.contains("library  2 approved post(s)"), "{out}");
}

#[test]
fn lint_warns_about_ended_and_over_long_entries() {
    let d = dir("lint");
    let long = "word ".repeat(70);
    let p = write(
        &d,
        "t.yaml",
        &format!(
            "{RULES}library:\n  - {{id: old, title: Old, text: Hi, active: {{until: 2026-01-31}}}}\n  - {{id: long, title: Long, text: '{long}', platforms: [bluesky]}}\n"
        ),
    );
    let (code, out, _) = run(&["lint", "--date", "2026-11-23", &p]);
    assert_eq!(code, 1);
    assert!(
        out.contains("library entry `old`: its `active` window ended on 2026-01-31"),
        "{out}"
    );
    assert!(
        out.contains("library entry `long`: it is 349 characters, over bluesky's limit of 300"),
        "{out}"
    );
}

#[test]
fn policy_errors_in_the_library_point_at_file_line_and_column() {
    let d = dir("err");
    let p = write(
        &d,
        "t.yaml",
        &format!("{RULES}library:\n  - id: a\n    title: A\n    text: \"Hello {{nmae}}\"\n"),
    );
    let (code, _, err) = run(&["library", &p]);
    assert_eq!(code, 2);
    assert_eq!(
        err,
        format!(
            "error: {p}:9:11: library entry `a`: unknown placeholder `{{nmae}}` in `text`; known: {{link}}, {{name}}, {{team}}, {{role}}, {{date}}, {{place}}, {{event}}\n"
        )
    );
}

#[test]
fn schema_describes_library_entries() {
    let (_, out, _) = run(&["schema"]);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let lib = &v["properties"]["library"]["items"];
    let props: Vec<&str> = lib["properties"]
        .as_object()
        .unwrap()
        .keys()
        .map(String::as_str)
        .collect();
    for f in [
        "id",
        "title",
        "text",
        "link",
        "platforms",
        "tags",
        "lang",
        "active",
        "note",
        "enabled",
    ] {
        assert!(props.contains(&f), "{f} in {props:?}");
    }
    assert!(
        lib["properties"]["platforms"]["items"]["enum"]
            .as_array()
            .unwrap()
            .len()
            > 5
    );
}
