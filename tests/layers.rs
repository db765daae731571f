//! `extends` and multiple policy files: later layers refine, replace or switch off rules.

mod common;
use common::*;
use draftguard::{ErrorKind, Policy};
use std::fs;

fn write(dir: &std::path::Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    fs::write(&p, text).unwrap();
    p
}

fn tempdir(tag: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("draftguard-layers-{tag}-{}", std::process::id()));
    fs::create_dir_all(&d).unwrap();
    d
}

const BASE: &str = "policy: base\nversion: \"1.0\"\nsettings: {override: justify}\nrules:\n  - {id: a, kind: phrases, severity: warn, phrases: [alpha]}\n  - {id: b, kind: phrases, phrases: [beta]}\n  - {id: c, kind: phrases, phrases: [gamma]}\n";

#[test]
fn overlays_refine_replace_and_disable_base_rules() {
    let d = tempdir("refine");
    write(&d, "base.yaml", BASE);
    let top = write(
        &d,
        "top.yaml",
        "policy: top\nversion: \"2.0\"\nextends: [base]\nsettings: {fail: closed}\nrules:\n  - {id: a, severity: block}\n  - {id: b, kind: phrases, phrases: [delta]}\n  - {id: c, enabled: false}\n",
    );
    let p = Policy::from_files(&[top]).unwrap();
    assert_eq!(p.id, "top");
    assert_eq!(p.layers, ["base", "top"]);
    assert_eq!(p.version.as_ref().unwrap().to_string(), "2.0");
    assert_eq!(p.settings.override_, draftguard::policy::Override::Justify);
    assert_eq!(p.settings.fail, draftguard::policy::FailMode::Closed);
    assert_eq!(p.disabled, ["c"]);
    let e = draftguard::Engine::new(p).unwrap();
    let fs = check(&e, "alpha beta gamma delta");
    assert_eq!(
        spans(&fs),
        [("a".into(), "alpha".into()), ("b".into(), "delta".into())]
    );
    assert_eq!(fs[0].severity, draftguard::Severity::Block);
}

#[test]
fn refining_an_unknown_rule_or_a_missing_base_is_an_error() {
    let d = tempdir("errors");
    let top = write(
        &d,
        "top.yaml",
        "policy: top\nrules:\n  - {id: nope, severity: block}\n",
    );
    let e = Policy::from_files(&[top]).unwrap_err();
    assert!(
        e.message
            .contains("no `kind`, and no base policy defines a rule with this id"),
        "{e}"
    );
    assert_eq!(e.kind, ErrorKind::MissingField);
    let top = write(
        &d,
        "top2.yaml",
        "policy: top\nextends: [missing]\nrules: []\n",
    );
    let e = Policy::from_files(std::slice::from_ref(&top)).unwrap_err();
    assert_eq!(
        e.position,
        Some(draftguard::Position {
            line: 2,
            column: 11
        })
    );
    assert!(
        e.message.starts_with("cannot find the policy `missing`"),
        "{e}"
    );
    assert_eq!(e.kind, ErrorKind::NotFound);
}

#[test]
fn refinements_are_checked_against_the_base_kind() {
    let d = tempdir("kind");
    write(&d, "base.yaml", BASE);
    let top = write(
        &d,
        "top.yaml",
        "policy: top\nextends: [base]\nrules:\n  - {id: a, within: 3}\n",
    );
    let e = Policy::from_files(std::slice::from_ref(&top)).unwrap_err();
    assert_eq!(e.file.as_deref(), Some(top.display().to_string().as_str()));
    assert_eq!(
        e.position,
        Some(draftguard::Position {
            line: 4,
            column: 13
        })
    );
    assert!(
        e.message
            .starts_with("field `within` does not apply to `phrases` rules"),
        "{e}"
    );
    assert_eq!(e.kind, ErrorKind::UnknownField);
}

#[test]
fn extends_cycles_are_reported() {
    let d = tempdir("cycle");
    write(&d, "one.yaml", "policy: one\nextends: [two]\nrules: []\n");
    let two = write(&d, "two.yaml", "policy: two\nextends: [one]\nrules: []\n");
    let e = Policy::from_files(&[two]).unwrap_err();
    assert!(
        e.message
            .starts_with("`extends` makes a cycle: two -> one -> two"),
        "{e}"
    );
    assert_eq!(e.kind, ErrorKind::Cycle);
    let e = Policy::from_files(&[d.join("absent.yaml")]).unwrap_err();
    assert_eq!(e.kind, ErrorKind::Io);
    assert!(e.message.starts_with("cannot read policy file: "), "{e}");
}

#[test]
fn the_embedded_default_policy_loads_and_can_be_extended() {
    let p = Policy::embedded_default().unwrap();
    assert_eq!(p.id, "default");
    let e = engine(
        "policy: mine\nextends: [default]\nrules:\n  - {id: extra, kind: phrases, phrases: [zzyzx]}\n",
    );
    assert!(e.policy().rules.len() > 1);
    assert_eq!(e.policy().layers, ["default", "mine"]);
}
