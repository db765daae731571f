//! Bad policies are refused with the file, line, column, rule id and what is wrong.

mod common;
use common::load_err;
use draftguard::{ErrorKind, Position};

fn at(line: usize, column: usize) -> Option<Position> {
    Some(Position { line, column })
}

#[test]
fn unknown_field_names_the_key_and_the_kinds_fields() {
    let e = load_err(
        "policy: t\nrules:\n  - id: a\n    kind: near\n    a: [x]\n    b: [y]\n    witin: 3\n",
    );
    assert_eq!(e.file.as_deref(), Some("bad.yaml"));
    assert_eq!(e.position, at(7, 5));
    assert_eq!(e.rule.as_deref(), Some("a"));
    assert!(
        e.message
            .contains("unknown field `witin` (did you mean `within`?)"),
        "{}",
        e.message
    );
    assert!(
        e.message.contains("`near` rules take: id, kind,"),
        "{}",
        e.message
    );
    assert_eq!(e.kind, ErrorKind::UnknownField);
}

#[test]
fn field_of_another_kind_is_refused_with_the_list() {
    let e = load_err(
        "policy: t\nrules:\n  - id: a\n    kind: phrases\n    phrases: [x]\n    within: 3\n",
    );
    assert_eq!(e.position, at(6, 5));
    assert_eq!(e.rule.as_deref(), Some("a"));
    assert!(
        e.message
            .starts_with("field `within` does not apply to `phrases` rules; they take: id, kind"),
        "{}",
        e.message
    );
    assert_eq!(e.kind, ErrorKind::UnknownField);
}

#[test]
fn bad_regex_points_at_the_pattern() {
    let e = load_err(
        "policy: t\nrules:\n  - id: codename\n    kind: pattern\n    pattern: '(?i)project (falcon'\n",
    );
    assert_eq!(e.position, at(5, 14));
    assert_eq!(e.rule.as_deref(), Some("codename"));
    assert!(e.message.starts_with("invalid pattern:"), "{}", e.message);
    assert_eq!(e.kind, ErrorKind::InvalidPattern);
    assert!(
        e.to_string()
            .starts_with("bad.yaml:5:14: rule `codename`: invalid pattern"),
        "{e}"
    );
}

#[test]
fn hostile_patterns_fail_to_compile_instead_of_eating_memory() {
    let e =
        load_err("policy: t\nrules:\n  - {id: big, kind: pattern, pattern: '(\\w{100}){100}'}\n");
    assert!(
        e.message.contains("too large once compiled"),
        "{}",
        e.message
    );
    assert_eq!(e.kind, ErrorKind::Limit);
    let e = load_err("policy: t\nrules:\n  - {id: empty, kind: pattern, pattern: 'x*'}\n");
    assert!(
        e.message.contains("matches the empty string"),
        "{}",
        e.message
    );
    assert_eq!(e.kind, ErrorKind::InvalidPattern);
}

#[test]
fn missing_required_fields_say_which() {
    let e = load_err("policy: t\nrules:\n  - id: n\n    kind: near\n    a: [x]\n");
    assert_eq!(e.message, "`near` rules need `b`");
    assert_eq!(e.position, at(3, 9));
    assert_eq!(e.kind, ErrorKind::MissingField);
    let e = load_err("policy: t\nrules:\n  - {kind: phrases, phrases: [x]}\n");
    assert_eq!(e.message, "`rules[0]`: missing field `id`");
    assert_eq!(e.kind, ErrorKind::MissingField);
}

#[test]
fn wrong_values_are_explained() {
    let e = load_err(
        "policy: t\nrules:\n  - {id: a, kind: phrases, severity: blocker, phrases: [x]}\n",
    );
    assert!(
        e.message
            .contains("unknown variant `blocker`, expected one of `info`, `warn`, `block`"),
        "{}",
        e.message
    );
    assert_eq!(e.rule.as_deref(), Some("a"));
    assert_eq!(e.kind, ErrorKind::InvalidValue);
    let e = load_err("policy: t\nrules:\n  - {id: a, kind: detector, detector: ssn}\n");
    assert!(
        e.message
            .starts_with("unknown detector `ssn`; known detectors: credit_card, iban, us_ssn"),
        "{}",
        e.message
    );
    let e = load_err(
        "policy: t\nrules:\n  - {id: a, kind: phrases, phrases: [x], platforms: [myspace]}\n",
    );
    assert!(
        e.message
            .starts_with("unknown platform `myspace`; known platforms: linkedin, x,"),
        "{}",
        e.message
    );
    let e = load_err(
        "policy: t\nrules:\n  - {id: a, kind: phrases, phrases: [x], active: {from: 2026-02-30}}\n",
    );
    assert_eq!(
        e.message,
        "`active`: `2026-02-30` is not a real calendar day"
    );
    let e = load_err(
        "policy: t\nrules:\n  - {id: a, kind: phrases, phrases: [x], message: 'bad {matched}'}\n",
    );
    assert_eq!(
        e.message,
        "unknown placeholder `{matched}` in `message`; known: {match}, {rule}, {detail}"
    );
    let e = load_err("policy: t\nversion: 2026.11\nrules: []\n");
    assert!(e.message.contains("quote it"), "{}", e.message);
    assert_eq!(e.position, at(2, 10));
    assert_eq!(e.kind, ErrorKind::InvalidValue);
}

#[test]
fn duplicate_ids_and_bad_tests_are_refused() {
    let e = load_err(
        "policy: t\nrules:\n  - {id: a, kind: phrases, phrases: [x]}\n  - {id: a, kind: phrases, phrases: [y]}\n",
    );
    assert_eq!(e.message, "duplicate rule id in this file");
    assert_eq!(e.position, at(4, 10));
    assert_eq!(e.kind, ErrorKind::Duplicate);
    let e = load_err("policy: t\npolicy: u\nrules: []\n");
    assert_eq!(e.message, "duplicate key `policy`");
    assert_eq!(e.kind, ErrorKind::Duplicate);
    let e = load_err(
        "policy: t\nrules:\n  - {id: a, kind: phrases, phrases: [x]}\ntests:\n  - {text: x, expect: [b]}\n",
    );
    assert_eq!(
        e.message,
        "test 1: expects rule `b`, but the policy has no rule with that id"
    );
    assert_eq!(e.kind, ErrorKind::NotFound);
}

#[test]
fn yaml_syntax_errors_have_positions() {
    let e = load_err("policy: t\nrules:\n  - id: a\n    kind: [phrases\n");
    assert!(e.message.starts_with("YAML syntax error"), "{}", e.message);
    assert!(e.position.is_some());
    assert_eq!(e.kind, ErrorKind::Parse);
    let e = load_err("just a string");
    assert!(e.message.contains("must be a mapping"), "{}", e.message);
    assert_eq!(e.kind, ErrorKind::InvalidValue);
    let deep = format!("policy: t\nrules: {}{}\n", "[".repeat(70), "]".repeat(70));
    let e = load_err(&deep);
    assert!(
        e.message.starts_with("nesting deeper than"),
        "{}",
        e.message
    );
    assert_eq!(e.kind, ErrorKind::Limit);
}

#[test]
fn suggestions_for_unknown_phrases_are_refused() {
    let e = load_err(
        "policy: t\nrules:\n  - {id: a, kind: phrases, phrases: [x1], suggest: {y1: z}}\n",
    );
    assert_eq!(
        e.message,
        "`suggest` has a replacement for `y1`, which is not one of this rule's phrases"
    );
}
