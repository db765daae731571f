//! The `draftguard` binary: output, exit codes, stdin, JSON, test and lint.

use std::io::Write;
use std::process::{Command, Stdio};

fn run(args: &[&str], stdin: Option<&str>) -> (i32, String, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_draftguard"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("binary runs");
    if let Some(s) = stdin {
        child.stdin.take().unwrap().write_all(s.as_bytes()).unwrap();
    } else {
        drop(child.stdin.take());
    }
    let out = child.wait_with_output().unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

fn tmp(name: &str, text: &str) -> String {
    let p = std::env::temp_dir().join(format!("draftguard-cli-{}-{name}", std::process::id()));
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

const POLICY: &str = "policy: t\nrules:\n  - id: promissory\n    kind: phrases\n    severity: block\n    message: \"Promising returns is not allowed.\"\n    phrases: [\"guaranteed returns\"]\n    suggest: {\"guaranteed returns\": \"potential returns\"}\n  - {id: hype, kind: phrases, phrases: [moon]}\n";

#[test]
fn human_output_is_a_diagnostic_with_caret_and_fix() {
    let p = tmp("p.yaml", POLICY);
    let (code, out, _) = run(
        &[
            "check",
            "-p",
            &p,
            "--color",
            "never",
            "--text",
            "Our fund has guaranteed returns!",
        ],
        None,
    );
    assert_eq!(code, 1, "a block finding exits 1");
    let expected = "block[promissory]: Promising returns is not allowed.\n --> <text>:1:14\n  |\n1 | Our fund has guaranteed returns!\n  |              ^^^^^^^^^^^^^^^^^^\n  = fix: replace with \"potential returns\"\n\n<text>: 1 finding (1 block, 0 warn, 0 info) — posting would be blocked\n";
    assert_eq!(out, expected);
}

#[test]
fn warn_only_exits_zero_and_stdin_works() {
    let p = tmp("p2.yaml", POLICY);
    let (code, out, _) = run(
        &["check", "-p", &p, "--color", "never"],
        Some("to the moon"),
    );
    assert_eq!(code, 0);
    assert!(out.contains("warn[hype]"), "{out}");
    assert!(
        out.ends_with("<stdin>: 1 finding (0 block, 1 warn, 0 info)\n"),
        "{out}"
    );
    let (code, out, _) = run(&["check", "-p", &p], Some("all good"));
    assert_eq!((code, out.as_str()), (0, "<stdin>: no findings\n"));
}

#[test]
fn json_output_has_spans_in_bytes_chars_and_utf16() {
    let p = tmp("p3.yaml", POLICY);
    let (code, out, _) = run(
        &[
            "check",
            "-p",
            &p,
            "--format",
            "json",
            "--text",
            "😀 guaranteed returns",
        ],
        None,
    );
    assert_eq!(code, 1);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let f = &v["drafts"][0]["findings"][0];
    assert_eq!(f["rule"], "promissory");
    assert_eq!(f["text"], "guaranteed returns");
    assert_eq!(f["span"]["bytes"], serde_json::json!([5, 23]));
    assert_eq!(f["span"]["chars"], serde_json::json!([2, 20]));
    assert_eq!(f["span"]["utf16"], serde_json::json!([3, 21]));
    assert_eq!(f["suggestions"][0]["replacement"], "potential returns");
    assert_eq!(v["blocked"], true);
    assert_eq!(v["policy"]["id"], "t");
}

/// A 1 MB draft with tens of thousands of findings: every span in the JSON report is
/// right to the end of the text (all of a draft's spans are converted in one pass).
#[test]
fn json_report_of_a_large_draft_with_many_findings() {
    let p = tmp("p-large.yaml", POLICY);
    let line = "日本 😀 to the moon and guaranteed returns\n";
    let text = line.repeat((1 << 20) / line.len());
    let lines = text.lines().count();
    let draft = tmp("large.txt", &text);
    let (code, out, err) = run(&["check", "-p", &p, "--format", "json", &draft], None);
    assert_eq!(code, 1, "{err}");
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let fs = v["drafts"][0]["findings"].as_array().unwrap();
    assert_eq!(fs.len(), 2 * lines);
    let last = &fs[fs.len() - 1];
    assert_eq!(last["text"], "guaranteed returns");
    assert_eq!(last["span"]["line"], lines);
    assert_eq!(last["span"]["column"], 22);
    let end = text.len() - 1;
    assert_eq!(last["span"]["bytes"][1], end);
    assert_eq!(last["span"]["chars"][1], text[..end].chars().count());
    assert_eq!(
        last["suggestions"][0]["span"]["utf16"][1],
        text[..end].encode_utf16().count()
    );
}

#[test]
fn policy_errors_exit_two_with_location() {
    let p = tmp(
        "bad.yaml",
        "policy: t\nrules:\n  - {id: a, kind: phrases, phrase: [x]}\n",
    );
    let (code, _, err) = run(&["check", "-p", &p, "--text", "x"], None);
    assert_eq!(code, 2);
    assert!(
        err.starts_with(&format!("error: {p}:3:28: rule `a`: unknown field")),
        "{err}"
    );
    assert!(
        err.contains("unknown field `phrase` (did you mean `phrases`?)"),
        "{err}"
    );
    let (code, _, err) = run(&["check", "--platform", "myspace", "--text", "x"], None);
    assert_eq!(code, 2);
    assert!(err.contains("unknown platform `myspace`"), "{err}");
}

#[test]
fn test_command_prints_a_table_and_fails_on_failures() {
    let p = tmp(
        "tested.yaml",
        &format!(
            "{POLICY}tests:\n  - {{name: catches it, text: guaranteed returns, expect: [promissory]}}\n  - {{name: wrong on purpose, text: moon, expect: []}}\n"
        ),
    );
    let (code, out, _) = run(&["test", &p], None);
    assert_eq!(code, 1);
    assert!(out.contains("  PASS    1  catches it\n"), "{out}");
    assert!(out.contains("  FAIL    2  wrong on purpose"), "{out}");
    assert!(out.contains("found but not expected: hype"), "{out}");
    assert!(out.ends_with("1 passed, 1 failed\n"), "{out}");
}

#[test]
fn lint_reports_dead_rules_and_exceptions() {
    let p = tmp(
        "lint.yaml",
        "policy: t\nrules:\n  - {id: old, kind: phrases, phrases: [x1], active: {until: 2020-01-01}}\n  - {id: exc, kind: phrases, phrases: [alpha], unless: [beta]}\n  - {id: fix, kind: phrases, phrases: [bad word], suggest: [bad word!]}\ntests:\n  - {text: alpha, expect: [exc]}\n",
    );
    let (code, out, _) = run(&["lint", &p, "--date", "2026-11-23"], None);
    assert_eq!(code, 1);
    assert!(
        out.contains("rule `old`: its `active` window ended on 2020-01-01"),
        "{out}"
    );
    assert!(
        out.contains("rule `exc`: exception `beta` shares no word"),
        "{out}"
    );
    assert!(
        out.contains("rule `fix`: the suggested fix `bad word!` is itself flagged"),
        "{out}"
    );
    assert!(
        out.contains("rule `fix`: no test expects this rule"),
        "{out}"
    );
}

#[test]
fn schema_is_json_with_every_kind() {
    let (code, out, _) = run(&["schema"], None);
    assert_eq!(code, 0);
    let v: serde_json::Value = serde_json::from_str(&out).unwrap();
    let variants = v["properties"]["rules"]["items"]["oneOf"]
        .as_array()
        .unwrap();
    assert_eq!(variants.len(), 9);
    assert_eq!(variants[1]["properties"]["kind"]["const"], "near");
    assert!(
        variants[1]["required"]
            .as_array()
            .unwrap()
            .contains(&serde_json::json!("b"))
    );
}

#[test]
fn keygen_bundle_verify_from_the_command_line() {
    let dir = std::env::temp_dir().join(format!("draftguard-cli-keys-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let base = dir.join("acme").display().to_string();
    let (code, out, _) = run(&["keygen", "--out", &base], None);
    assert_eq!(code, 0);
    let public = std::fs::read_to_string(format!("{base}.pub")).unwrap();
    assert!(out.ends_with(&format!("public key: {public}")), "{out}");
    let secret = std::fs::read_to_string(format!("{base}.key")).unwrap();
    assert!(
        !out.contains(secret.lines().last().unwrap()),
        "the secret key is never printed"
    );
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(format!("{base}.key"))
            .unwrap()
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    let (code, _, err) = run(&["keygen", "--out", &base], None);
    assert_eq!(code, 2);
    assert!(
        err.contains("acme.key: already exists; pass --force"),
        "{err}"
    );

    let policy = dir.join("acme.yaml");
    std::fs::write(&policy, format!("{POLICY}version: \"1.2\"\ntests:\n  - {{text: \"guaranteed returns\", expect: [promissory]}}\n")).unwrap();
    let bundle = dir.join("bundle.json").display().to_string();
    let (code, _, err) = run(
        &[
            "bundle",
            &policy.display().to_string(),
            "--key",
            &format!("{base}.key"),
            "-o",
            &bundle,
            "--issued-at",
            "2026-11-23T00:00:00Z",
            "--expires-in",
            "30d",
        ],
        None,
    );
    assert_eq!(code, 0, "{err}");
    assert!(
        err.starts_with("signed t version 1.2 (1 file(s), "),
        "{err}"
    );
    assert!(err.contains("valid until 2026-12-23T00:00:00Z"), "{err}");

    let pubfile = format!("{base}.pub");
    let (code, out, _) = run(
        &[
            "verify",
            &bundle,
            "--pubkey",
            &pubfile,
            "--now",
            "2026-12-01",
        ],
        None,
    );
    assert_eq!(code, 0);
    assert!(out.contains(": valid\n  policy   t version 1.2\n  issued   2026-11-23T00:00:00Z\n  expires  2026-12-23T00:00:00Z\n"), "{out}");
    assert!(out.ends_with("  tests    1 pass\n"), "{out}");
    let (code, out, _) = run(
        &[
            "verify",
            &bundle,
            "--pubkey",
            public.trim(),
            "--now",
            "2026-12-24",
        ],
        None,
    );
    assert_eq!(code, 1);
    assert!(
        out.ends_with("invalid (expired): the bundle expired at 2026-12-23T00:00:00Z\n"),
        "{out}"
    );
    let (code, out, _) = run(
        &[
            "verify",
            &bundle,
            "--pubkey",
            &pubfile,
            "--now",
            "2026-12-01",
            "--in-force",
            "1.2",
        ],
        None,
    );
    assert_eq!(code, 1);
    assert!(out.contains("invalid (rollback)"), "{out}");
    let (code, _, err) = run(
        &[
            "bundle",
            &policy.display().to_string(),
            "--key",
            &pubfile,
            "-o",
            "-",
        ],
        None,
    );
    assert_eq!(code, 2);
    assert!(
        err.contains("acme.pub: this is a public key; signing needs the secret key file"),
        "{err}"
    );
    std::fs::remove_dir_all(&dir).unwrap();
}
