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
    // Stdin is written on its own thread: the binary streams its report while it reads,
    // so writing all of a large input before reading any output would fill both pipes.
    let mut pipe = child.stdin.take().unwrap();
    let input = stdin.map(str::to_owned);
    let writer = std::thread::spawn(move || {
        if let Some(s) = input {
            pipe.write_all(s.as_bytes()).unwrap();
        }
    });
    let out = child.wait_with_output().unwrap();
    writer.join().unwrap();
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
    // The `*` stem syntax is explained where editors show it.
    let phrases = variants[0]["properties"]["phrases"]["description"]
        .as_str()
        .unwrap();
    assert!(phrases.contains("End a word with `*`"), "{phrases}");
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
    assert!(
        out.ends_with("  tests    1 pass\n  library  0 approved post(s)\n"),
        "{out}"
    );
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

/// A folder of drafts for the many-draft tests, made fresh under the temp dir.
fn folder(name: &str, files: &[(&str, &str)]) -> std::path::PathBuf {
    let root = std::env::temp_dir().join(format!("draftguard-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&root);
    for (f, text) in files {
        let p = root.join(f);
        std::fs::create_dir_all(p.parent().unwrap()).unwrap();
        std::fs::write(p, text).unwrap();
    }
    root
}

/// On a long line each finding shows a window of at most 120 columns around it, cut with
/// ellipses, with the underline under the finding.
#[test]
fn a_long_line_shows_a_window_around_the_finding() {
    let p = tmp("p-window.yaml", POLICY);
    let text = format!("{} guaranteed returns {}", "a".repeat(300), "b".repeat(300));
    let (code, out, _) = run(
        &["check", "-p", &p, "--color", "never", "--text", &text],
        None,
    );
    assert_eq!(code, 1);
    let window = format!("…{} guaranteed returns {}…", "a".repeat(49), "b".repeat(49));
    assert_eq!(window.chars().count(), 120);
    let expected = format!(
        "block[promissory]: Promising returns is not allowed.\n --> <text>:1:302\n  |\n1 | {window}\n  | {}{}\n  = fix: replace with \"potential returns\"\n\n<text>: 1 finding (1 block, 0 warn, 0 info) — posting would be blocked\n",
        " ".repeat(51),
        "^".repeat(18)
    );
    assert_eq!(out, expected);

    // --max-columns narrows it; wide characters count two columns.
    let text = format!(
        "{} guaranteed returns {}",
        "日".repeat(100),
        "本".repeat(100)
    );
    let (_, out, _) = run(
        &[
            "check",
            "-p",
            &p,
            "--color",
            "never",
            "--max-columns",
            "40",
            "--text",
            &text,
        ],
        None,
    );
    let lines: Vec<&str> = out.lines().collect();
    // 22 columns of context, 11 a side: an ellipsis, then what fits in 10 columns (a
    // space and four two-column characters; a fifth would make 11).
    assert_eq!(lines[3], "1 | …日日日日 guaranteed returns 本本本本…");
    assert_eq!(
        lines[4],
        format!("  | {}{}", " ".repeat(10), "^".repeat(18))
    );
}

#[test]
fn max_findings_caps_what_is_printed_and_the_summary_counts_all() {
    let p = tmp("p-max.yaml", POLICY);
    let text = "to the moon ".repeat(5);
    let (code, out, _) = run(
        &[
            "check",
            "-p",
            &p,
            "--color",
            "never",
            "--max-findings",
            "2",
            "--text",
            &text,
        ],
        None,
    );
    assert_eq!(code, 0);
    assert_eq!(out.matches("warn[hype]").count(), 2);
    assert!(
        out.ends_with(
            "… 3 more findings in <text> not shown (--max-findings 2)\n\n<text>: 5 findings (0 block, 5 warn, 0 info)\n"
        ),
        "{out}"
    );
    let (code, _, err) = run(
        &[
            "check",
            "-p",
            &p,
            "--format",
            "json",
            "--max-findings",
            "2",
            "--text",
            "x",
        ],
        None,
    );
    assert_eq!(code, 2);
    assert_eq!(
        err,
        "error: --max-findings limits the human report; the other formats list every finding\n"
    );
}

/// A folder is walked in sorted order (hidden files skipped); drafts without findings are
/// left out of a many-draft report, and a total line ends it.
#[test]
fn folders_and_globs_are_checked_in_sorted_order_with_a_total() {
    let p = tmp("p-folder.yaml", POLICY);
    let root = folder(
        "folder",
        &[
            ("b/d.txt", "Guaranteed returns"),
            ("b/c.txt", "all good"),
            ("a.txt", "to the moon"),
            (".hidden.txt", "guaranteed returns"),
            ("notes.md", "guaranteed returns"),
        ],
    );
    let r = root.display().to_string();
    let (code, out, _) = run(&["check", "-p", &p, "--color", "never", &r], None);
    assert_eq!(code, 1);
    let expected = format!(
        "warn[hype]: “moon” is not allowed by the social media policy.\n --> {r}/a.txt:1:8\n  |\n1 | to the moon\n  |        ^^^^\n\n{r}/a.txt: 1 finding (0 block, 1 warn, 0 info)\n\n\
         block[promissory]: Promising returns is not allowed.\n --> {r}/b/d.txt:1:1\n  |\n1 | Guaranteed returns\n  | ^^^^^^^^^^^^^^^^^^\n  = fix: replace with \"Potential returns\"\n\n{r}/b/d.txt: 1 finding (1 block, 0 warn, 0 info) — posting would be blocked\n\n\
         block[promissory]: Promising returns is not allowed.\n --> {r}/notes.md:1:1\n  |\n1 | guaranteed returns\n  | ^^^^^^^^^^^^^^^^^^\n  = fix: replace with \"potential returns\"\n\n{r}/notes.md: 1 finding (1 block, 0 warn, 0 info) — posting would be blocked\n\n\
         4 drafts checked: 3 findings (2 block, 1 warn, 0 info) in 3 drafts; 2 drafts would be blocked\n"
    );
    assert_eq!(out, expected);
    assert!(!out.contains("c.txt") && !out.contains(".hidden"), "{out}");

    // A quoted glob: `*` stays in one folder, `**` goes down, `{a,b}` picks.
    let glob = format!("{r}/**/*.{{txt,md}}");
    let (_, out, _) = run(&["check", "-p", &p, "--format", "jsonl", &glob], None);
    let sources: Vec<String> = out
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["source"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        sources,
        [
            format!("{r}/a.txt"),
            format!("{r}/b/c.txt"),
            format!("{r}/b/d.txt"),
            format!("{r}/notes.md")
        ]
    );
    let (code, out, err) = run(&["check", "-p", &p, &format!("{r}/*.pdf")], None);
    assert_eq!((code, out.as_str()), (2, ""));
    assert_eq!(err, format!("error: no file matches {r}/*.pdf\n"));
}

/// JSON Lines in and out: each record's platform and date apply to it, a bad line is an
/// error that names its line, and every other draft is still checked, in order.
#[test]
fn json_lines_in_and_out_with_a_bad_line() {
    let p = tmp(
        "p-jsonl.yaml",
        "policy: t\nrules:\n  - {id: x-only, kind: phrases, phrases: [moon], platforms: [x]}\n  - {id: q4, kind: phrases, phrases: [sale], active: {from: 2026-10-01, until: 2026-12-31}}\n",
    );
    let input = concat!(
        "{\"id\": \"p-1\", \"text\": \"to the moon\", \"platform\": \"x\"}\n",
        "{\"id\": \"p-2\", \"text\": \"to the moon\", \"platform\": \"linkedin\"}\n",
        "\n",
        "{\"text\": \"big sale\", \"date\": \"2026-11-02\"\n",
        "{\"text\": \"big sale\", \"date\": \"2026-11-02\", \"author\": \"ann\"}\n",
        "{\"text\": \"big sale\", \"platform\": \"myspace\"}\n",
    );
    let (code, out, err) = run(
        &[
            "check",
            "-p",
            &p,
            "--input",
            "jsonl",
            "--format",
            "jsonl",
            "--date",
            "2026-01-05",
        ],
        Some(input),
    );
    assert_eq!(code, 2, "a line that could not be checked exits 2");
    let lines: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(lines.len(), 5, "{out}");
    assert_eq!(lines[0]["source"], "p-1");
    assert_eq!(lines[0]["line"], 1);
    assert_eq!(lines[0]["platform"], "x");
    assert_eq!(lines[0]["findings"][0]["rule"], "x-only");
    assert_eq!(
        lines[1]["findings"],
        serde_json::json!([]),
        "not for linkedin"
    );
    assert_eq!(
        lines[2],
        serde_json::json!({
            "source": "<stdin>:4", "file": "<stdin>", "line": 4,
            "error": "<stdin>:4: EOF while parsing an object (column 41)",
        })
    );
    assert_eq!(lines[3]["source"], "<stdin>:5");
    assert_eq!(lines[3]["date"], "2026-11-02");
    assert_eq!(
        lines[3]["findings"][0]["rule"], "q4",
        "the record's date applies"
    );
    assert!(
        lines[4]["error"]
            .as_str()
            .unwrap()
            .starts_with("<stdin>:6: platform: unknown platform `myspace`"),
        "{}",
        lines[4]
    );
    let (code, _, err2) = run(
        &[
            "check",
            "-p",
            &p,
            "--input",
            "jsonl",
            "--text",
            "{\"text\": \"x\"}",
        ],
        None,
    );
    assert_eq!(code, 2);
    assert_eq!(
        err2,
        "error: --text is one draft; --input jsonl reads JSON Lines from files or stdin\n"
    );
    let errors: Vec<&str> = err.lines().collect();
    assert_eq!(errors.len(), 2, "{err}");
    assert_eq!(
        errors[0],
        "error: <stdin>:4: EOF while parsing an object (column 41)"
    );

    // The human report names records by id, else by file and line.
    let (_, out, _) = run(
        &[
            "check",
            "-p",
            &p,
            "--input",
            "jsonl",
            "--color",
            "never",
            "--date",
            "2026-11-05",
        ],
        Some(input),
    );
    assert!(out.contains("\n --> p-1:1:8\n"), "{out}");
    assert!(out.contains("\n --> <stdin>:5, 1:5\n"), "{out}");
    assert!(
        out.contains("\n<stdin>:5: 1 finding (0 block, 1 warn, 0 info)\n"),
        "{out}"
    );
    assert!(
        out.ends_with("3 drafts checked: 2 findings (0 block, 2 warn, 0 info) in 2 drafts; 2 could not be checked (errors on stderr)\n"),
        "{out}"
    );
}

#[test]
fn a_missing_file_does_not_stop_the_others() {
    let p = tmp("p-missing.yaml", POLICY);
    let a = tmp("missing-a.txt", "to the moon");
    let b = tmp("missing-b.txt", "guaranteed returns");
    let gone = tmp("missing-gone.txt", "");
    std::fs::remove_file(&gone).unwrap();
    let (code, out, err) = run(
        &["check", "-p", &p, "--format", "jsonl", &a, &gone, &b],
        None,
    );
    assert_eq!(code, 2);
    let sources: Vec<serde_json::Value> = out
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(sources[0]["findings"][0]["rule"], "hype");
    assert!(
        sources[1]["error"]
            .as_str()
            .unwrap()
            .starts_with(&format!("cannot read {gone}: "))
    );
    assert_eq!(sources[2]["blocked"], true);
    assert!(
        err.starts_with(&format!("error: cannot read {gone}: ")),
        "{err}"
    );
}

/// Thousands of drafts checked on several threads come out in input order, each once.
#[test]
fn many_drafts_in_parallel_keep_their_order() {
    let p = tmp("p-many.yaml", POLICY);
    let mut input = String::new();
    for i in 0..3000 {
        // Uneven sizes, so drafts finish out of order.
        let pad = "lorem ipsum ".repeat((i * 7919) % 300);
        let moon = if i % 3 == 0 { " to the moon" } else { "" };
        input.push_str(&format!(
            "{{\"id\": \"d{i}\", \"text\": \"{pad}{moon}\"}}\n"
        ));
    }
    let (code, out, _) = run(
        &[
            "check", "-p", &p, "--input", "jsonl", "--format", "jsonl", "-j", "4",
        ],
        Some(&input),
    );
    assert_eq!(code, 0);
    let got: Vec<(String, usize)> = out
        .lines()
        .map(|l| {
            let v: serde_json::Value = serde_json::from_str(l).unwrap();
            (
                v["id"].as_str().unwrap().to_string(),
                v["findings"].as_array().unwrap().len(),
            )
        })
        .collect();
    let want: Vec<(String, usize)> = (0..3000)
        .map(|i| (format!("d{i}"), usize::from(i % 3 == 0)))
        .collect();
    assert_eq!(got, want);
}

/// The human report of a 1 MB one-line draft with 40,000 findings: a window per finding,
/// never the whole megabyte, and an exact summary.
#[test]
fn human_report_of_a_large_one_line_draft_with_many_findings() {
    let p = tmp("p-large-human.yaml", POLICY);
    let text = "to the moon and the stars! ".repeat(40_000);
    let draft = tmp("large-human.txt", &text);
    let (code, out, err) = run(&["check", "-p", &p, "--color", "never", &draft], None);
    assert_eq!(code, 0, "{err}");
    let shown: Vec<&str> = out.lines().filter(|l| l.starts_with("1 | ")).collect();
    assert_eq!(shown.len(), 40_000);
    assert!(
        shown.iter().all(|l| l.chars().count() <= 4 + 120),
        "a window per finding"
    );
    // Finding 20,000 in the middle: 58 columns a side, each side's first an ellipsis.
    let at = 20_000 * 27 + "to the ".len();
    let window = format!("…{}moon{}…", &text[at - 57..at], &text[at + 4..at + 4 + 57]);
    assert_eq!(shown[20_000], format!("1 | {window}"));
    assert!(out.len() < 40_000 * 400, "{} bytes", out.len());
    assert!(out.ends_with(&format!(
        "{draft}: 40000 findings (0 block, 40000 warn, 0 info)\n"
    )));
}
