//! The README documents every field, kind, detector and placeholder the code accepts, so
//! the documentation cannot silently fall behind the language.

use draftguard::detectors::DetectorKind;
use draftguard::policy::Kind;
use draftguard::policy::fields::FIELDS;

fn readme() -> String {
    std::fs::read_to_string(concat!(env!("CARGO_MANIFEST_DIR"), "/README.md")).unwrap()
}

#[test]
fn every_rule_field_has_a_row_with_its_doc() {
    let r = readme();
    for f in FIELDS {
        assert!(
            r.contains(&format!("| `{}` |", f.name)),
            "README lacks a row for field `{}`",
            f.name
        );
        assert!(
            r.contains(f.doc),
            "README's text for `{}` differs from src/policy/fields.rs",
            f.name
        );
    }
}

#[test]
fn every_kind_detector_and_placeholder_is_documented() {
    let r = readme();
    for k in Kind::ALL {
        assert!(
            r.contains(&format!("| `{}` |", k.name())),
            "kind `{}`",
            k.name()
        );
    }
    for d in DetectorKind::ALL {
        assert!(
            r.contains(&format!("`{}`", d.name())),
            "detector `{}`",
            d.name()
        );
    }
    for p in ["{match}", "{rule}", "{detail}"] {
        assert!(r.contains(p), "placeholder {p}");
    }
}

#[test]
fn the_quick_start_has_exactly_the_two_commands() {
    let r = readme();
    let start = r.find("## Quick start").unwrap();
    let block = &r[start..];
    let code = block.split("```").nth(1).unwrap();
    let commands: Vec<&str> = code
        .lines()
        .skip(1)
        .filter(|l| !l.trim().is_empty())
        .map(|l| l.split('#').next().unwrap().trim())
        .collect();
    assert_eq!(commands, ["make demo", "make test"]);
}
