//! Nothing panics on any input: generated drafts of awkward Unicode against every
//! reference policy, generated broken policies, and very large drafts. (The cargo-fuzz
//! targets in `fuzz/` explore further; see the README.)

// The benchmark's deterministic generator and its 1 MB post.
#[path = "../benches/fixtures/mod.rs"]
mod fixtures;

use draftguard::{Draft, Engine, Policy};
use fixtures::Rng;

const PIECES: &[&str] = &[
    "guaranteed",
    " ",
    "returns",
    "r1sk",
    "-",
    "fr33",
    "\u{200B}",
    "\u{202E}",
    "\u{0301}",
    "é",
    "👩‍👩‍👧",
    "\u{FFFD}",
    "ｇ",
    "а",
    "4111 1111 1111 1111",
    "@",
    "#",
    "$",
    "AKIA",
    "0",
    "9",
    "\n",
    "\u{00A0}",
    "bit.ly/x",
    "https://",
    "日本",
    "ﬁ",
    "'",
    "’s",
    "a",
    "b",
    "c",
    ".",
    "Acme Bank",
    "text me",
    "WhatsApp",
    "patient",
    "diabetes",
    "Room 4",
    "\u{10FFFF}",
    "\u{E0001}",
    "ß",
    "İ",
    "ǅ",
    "\u{1F1FA}\u{1F1F8}",
];

fn engines() -> Vec<Engine> {
    let mut out = vec![Engine::new(Policy::embedded_default().unwrap()).unwrap()];
    for p in ["financial-services", "healthcare"] {
        let path =
            std::path::PathBuf::from(format!("{}/policies/{p}.yaml", env!("CARGO_MANIFEST_DIR")));
        out.push(Engine::new(Policy::from_files(&[path]).unwrap()).unwrap());
    }
    out
}

#[test]
fn generated_drafts_never_panic_and_spans_are_exact() {
    let engines = engines();
    let mut rng = Rng(0x1234_5678_9abc_def1);
    for _ in 0..1500 {
        let n = (rng.next_u64() % 40) as usize;
        let text: String = (0..n).map(|_| rng.pick(PIECES)).collect();
        for e in &engines {
            for f in e.check(&Draft::new(&text)) {
                assert!(
                    text.is_char_boundary(f.span.start) && text.is_char_boundary(f.span.end),
                    "{text:?}"
                );
                assert_eq!(&text[f.span.clone()], f.text, "{text:?}");
                for s in &f.suggestions {
                    assert!(s.span.start <= s.span.end && s.span.end <= text.len());
                }
            }
        }
    }
}

#[test]
fn generated_policies_load_or_fail_cleanly() {
    let lines = [
        "policy: t",
        "rules:",
        "  - id: a",
        "    kind: phrases",
        "    kind: pattern",
        "    pattern: '(a'",
        "    phrases: [x]",
        "    phrases: []",
        "    severity: block",
        "    within: -1",
        "  - {id: b, kind: near, a: [x], b: [y]}",
        "tests:",
        "  - {text: x, expect: [a]}",
        "extends: [default]",
        "extends: [nope]",
        "    active: {from: 2026-13-01}",
        "&a [*a]",
        "    suggest: {x: y}",
        "    message: '{nope}'",
        "version: 1.5",
        "  - id: ''",
        "\t",
        "---",
        "{",
        "]",
        "  - [",
        "\"",
    ];
    let mut rng = Rng(0xfeed_beef_dead_c0de);
    for _ in 0..3000 {
        let n = 1 + (rng.next_u64() % 12) as usize;
        let text: Vec<&str> = (0..n).map(|_| rng.pick(&lines)).collect();
        let text = text.join("\n");
        match Policy::from_yaml("gen.yaml", &text) {
            Ok(p) => {
                let e = Engine::new(p).expect("a policy that loads compiles");
                let _ = e.check(&Draft::new("x y guaranteed"));
            }
            Err(e) => assert!(!e.message.is_empty()),
        }
    }
}

#[test]
fn a_megabyte_paste_is_checked_in_linear_time() {
    let e = Engine::new(Policy::embedded_default().unwrap()).unwrap();
    let text = fixtures::post(1 << 20);
    let findings = e.check(&Draft::new(&text));
    assert!(!findings.is_empty());
}

/// Disguises, elisions, clitics and scripts without spaces at a megabyte, with many
/// findings: every path of the multilingual matching stays linear (a quadratic one would
/// not finish).
#[test]
fn a_megabyte_of_disguises_and_clitics_is_checked() {
    let e = Engine::new(
        Policy::from_yaml(
            "big.yaml",
            "policy: big\nrules:\n  - {id: p, kind: phrases, phrases: [fuck, scam, entreprise, أرباح مضمونة, הכסף, 원금 보장, \"garantiert* rendite*\"]}\n",
        )
        .unwrap(),
    )
    .unwrap();
    let n = 1 << 20;
    let count = |unit: &str| {
        let text = unit.repeat(n / unit.len());
        let found = e.check(&Draft::new(&text));
        for f in &found {
            assert_eq!(&text[f.span.clone()], f.text);
        }
        found.len()
    };
    assert_eq!(count("f*ck "), n / 5);
    assert_eq!(count("scaaaam "), n / 8);
    assert_eq!(count("l'entreprise "), n / 13);
    assert_eq!(count("garantierte Renditen "), n / 21);
    let arabic = "والأرباح المضمونة ";
    assert_eq!(count(arabic), n / arabic.len());
    let korean = "원금보장 ";
    assert_eq!(count(korean), n / korean.len());
    // One endless masked word, one endless run of a letter, one endless elision chain.
    assert_eq!(count("a*"), 0);
    assert_eq!(count("a"), 0);
    assert_eq!(count("l'"), 0);
}
