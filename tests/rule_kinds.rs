//! What every rule kind shares: `active` windows, monitor mode, overlap resolution and
//! message placeholders. What each kind flags (exact spans, messages, fixes) and what it
//! must not is tested in the kind's own module under `src/rules/`.

mod common;
use common::*;
use draftguard::Mode;

#[test]
fn active_windows_and_platforms_scope_rules() {
    let e = engine(
        r#"
policy: t
rules:
  - id: quiet-period
    kind: phrases
    phrases: ["earnings"]
    active: { from: 2026-12-15, until: 2027-01-25 }
"#,
    );
    assert_eq!(
        check_on(&e, "earnings soon", None, Some("2026-12-15")).len(),
        1
    );
    assert_eq!(
        check_on(&e, "earnings soon", None, Some("2027-01-25")).len(),
        1
    );
    assert!(check_on(&e, "earnings soon", None, Some("2027-01-26")).is_empty());
    assert!(check_on(&e, "earnings soon", None, None).is_empty());
}

#[test]
fn monitor_rules_report_but_are_marked() {
    let e = engine(
        "policy: t\nrules:\n  - {id: pilot, kind: phrases, severity: block, mode: monitor, phrases: [moon]}\n",
    );
    let fs = check(&e, "to the moon");
    assert_eq!(fs.len(), 1);
    assert_eq!(fs[0].mode, Mode::Monitor);
    assert!(!fs[0].is_enforced_block());
}

#[test]
fn overlaps_keep_one_underline_most_severe_first() {
    let e = engine(
        r#"
policy: t
rules:
  - {id: soft, kind: phrases, severity: warn, phrases: ["returns"]}
  - {id: hard, kind: phrases, severity: block, phrases: ["guaranteed returns"]}
  - {id: pilot, kind: phrases, mode: monitor, phrases: ["guaranteed"]}
"#,
    );
    let fs = check(&e, "guaranteed returns");
    let enforced: Vec<_> = fs.iter().filter(|f| f.mode == Mode::Enforce).collect();
    assert_eq!(enforced.len(), 1);
    assert_eq!(enforced[0].rule, "hard");
    assert_eq!(enforced[0].also, ["soft"]);
    assert!(
        fs.iter().any(|f| f.rule == "pilot"),
        "monitor findings are kept"
    );
}

#[test]
fn messages_substitute_rule_and_detail_and_stay_plain_text() {
    let e = engine(
        "policy: t\nlink: https://intranet.example/policy\nrules:\n  - {id: r, kind: phrases, phrases: [x1], message: '<b>{rule}</b> saw {match}'}\n",
    );
    let fs = check(&e, "x1");
    assert_eq!(fs[0].message, "<b>r</b> saw x1");
    assert_eq!(
        fs[0].link.as_deref(),
        Some("https://intranet.example/policy")
    );
}
