//! The rule kinds, one per file. Each kind's module owns everything about it: what its
//! fields must hold (`validate`, called while the policy loads), which phrase lists the
//! engine's automata search for it, its compiled [`Check`] that turns phrase hits or its
//! own search of the draft into raw findings, and its tests. The engine adds what every
//! rule shares (exceptions, messages, suggestions, overlap resolution).
//!
//! A kind registers in one place, [`kind`]; its `Kind` and `Body` variants are one entry
//! in `rule_kinds!` (`policy/mod.rs`), its fields rows in `policy/fields.rs`.

pub mod detector;
pub mod length;
pub mod links;
pub mod near;
pub mod pattern;
pub mod phrases;
pub mod require;
pub mod swap;

use std::ops::Range;

use crate::engine::context::Context;
use crate::engine::phrases::{Hit, Role};
use crate::error::{Error, ErrorKind};
use crate::finding::Suggestion;
use crate::normalize::Profile;
use crate::policy::validate::Fields;
use crate::policy::{Body, Kind, Rule};

/// What the module of a rule kind provides.
pub trait RuleKind: Sync {
    /// Checks the kind's own fields of a merged rule (the fields every rule shares are
    /// checked already) and builds what a rule of this kind matches. Errors point at the
    /// field with [`Fields::err`].
    fn validate(&self, f: &Fields<'_>) -> Result<Body, Error>;

    /// Hands the engine each phrase list a rule of this kind needs found, with the profile
    /// it is matched in and the role its hits play in [`Check::check`]. Most kinds search
    /// the draft themselves and need none.
    fn phrase_lists(&self, _rule: &Rule, _add: &mut dyn FnMut(Profile, Role, &[String])) {}

    /// Compiles a validated rule of this kind.
    fn compile(&self, rule: &Rule) -> Result<Box<dyn Check>, Error>;
}

/// The module that owns a rule kind.
pub fn kind(kind: Kind) -> &'static dyn RuleKind {
    match kind {
        Kind::Phrases => &phrases::Def,
        Kind::Near => &near::Def,
        Kind::Swap => &swap::Def,
        Kind::Pattern => &pattern::Def,
        Kind::Detector => &detector::Def,
        Kind::Require => &require::Def,
        Kind::Links => &links::Def,
        Kind::Length => &length::Def,
    }
}

/// Compiles a validated rule.
pub fn compile(rule: &Rule) -> Result<Box<dyn Check>, Error> {
    kind(rule.kind).compile(rule)
}

/// The error for a rule whose body is not of its kind (a `Rule` built by hand, not by
/// loading a policy).
fn wrong_body(rule: &Rule) -> Error {
    Error::new(
        ErrorKind::InvalidValue,
        format!(
            "the body of a `{}` rule is a `{}` body",
            rule.kind.name(),
            rule.body.kind().name()
        ),
    )
    .with_rule(&rule.id)
    .with_file(&rule.origin.file)
    .with_position(rule.origin.position)
}

/// A place a rule flags, before the engine dresses it up as a [`crate::Finding`].
#[derive(Debug, Clone, Default)]
pub struct Raw {
    /// Byte range of the draft.
    pub span: Range<usize>,
    /// What `{detail}` stands for in the message.
    pub detail: Option<String>,
    /// Fixes the kind computes itself; `None` means "use the rule's `suggest`".
    pub fixes: Option<Vec<Suggestion>>,
    /// The matched pieces an `unless` exception must overlap to cancel the finding;
    /// empty means the whole span (a `near` finding's pieces are its two phrases).
    pub parts: Vec<Range<usize>>,
}

impl Raw {
    pub fn at(span: Range<usize>) -> Raw {
        Raw {
            span,
            ..Raw::default()
        }
    }
}

/// A compiled rule kind.
pub trait Check: Send + Sync {
    /// Appends what the rule flags in the draft. `hits` are this rule's phrase hits (all
    /// roles but `Unless`), in order of their end in the shadow.
    fn check(&self, cx: &Context<'_>, hits: &[Hit], out: &mut Vec<Raw>);

    /// The message a finding gets when the rule has none.
    fn default_message(&self) -> &'static str;
}

/// Matches the case of `model` in `replacement`: all caps stays all caps, a capital first
/// letter stays capital.
pub fn match_case(model: &str, replacement: &str) -> String {
    let letters: Vec<char> = model.chars().filter(|c| c.is_alphabetic()).collect();
    if letters.len() > 1 && letters.iter().all(|c| c.is_uppercase()) {
        return replacement.to_uppercase();
    }
    let first_upper = model
        .chars()
        .find(|c| c.is_alphabetic())
        .is_some_and(char::is_uppercase);
    let mut chars = replacement.chars();
    match chars.next() {
        Some(f) if first_upper && f.is_lowercase() => f.to_uppercase().chain(chars).collect(),
        _ => replacement.to_string(),
    }
}

/// The helpers every kind's tests use: a rule (or a whole policy) in YAML, a draft, and
/// exactly what must be flagged.
#[cfg(test)]
pub(crate) mod test_support {
    use crate::{Draft, Engine, Error, Finding, Policy};

    /// A policy file holding `rule`: either a whole policy (`policy: ...`) or one rule, in
    /// flow (`{id: p, kind: phrases, phrases: [x]}`) or block style.
    pub fn policy_of(rule: &str) -> String {
        if rule.trim_start().starts_with("policy:") {
            return rule.to_string();
        }
        let mut y = String::from("policy: t\nrules:\n  - ");
        for (i, line) in rule.trim().lines().enumerate() {
            if i > 0 {
                y.push_str("\n    ");
            }
            y.push_str(line.trim_start());
        }
        y.push('\n');
        y
    }

    pub fn engine(rule: &str) -> Engine {
        let policy = Policy::from_yaml("test.yaml", &policy_of(rule))
            .unwrap_or_else(|e| panic!("the rule loads: {e}"));
        Engine::new(policy).expect("the rule compiles")
    }

    /// The findings for `text`, each checked to cover exactly its `text`.
    pub fn findings(e: &Engine, text: &str) -> Vec<Finding> {
        let fs = e.check(&Draft::new(text));
        for f in &fs {
            assert_eq!(&text[f.span.clone()], f.text, "span and text agree");
        }
        fs
    }

    /// Asserts that `rule` flags exactly `expected` in `text`: the flagged texts, in order
    /// (an empty list: nothing is flagged).
    #[track_caller]
    pub fn assert_flags(rule: &str, text: &str, expected: &[&str]) {
        let e = engine(rule);
        let got: Vec<String> = findings(&e, text).into_iter().map(|f| f.text).collect();
        assert_eq!(got, expected, "flagged in {text:?}");
    }

    /// Asserts that `rule` fails to load with exactly `message`; returns the error.
    #[track_caller]
    pub fn assert_refused(rule: &str, message: &str) -> Error {
        let e =
            Policy::from_yaml("test.yaml", &policy_of(rule)).expect_err("the rule must be refused");
        assert_eq!(e.message, message);
        e
    }
}

#[cfg(test)]
mod tests {
    use super::match_case;

    #[test]
    fn replacements_follow_the_typed_case() {
        assert_eq!(
            match_case("Guaranteed returns", "potential returns"),
            "Potential returns"
        );
        assert_eq!(
            match_case("GUARANTEED RETURNS", "potential returns"),
            "POTENTIAL RETURNS"
        );
        assert_eq!(
            match_case("guaranteed returns", "potential returns"),
            "potential returns"
        );
        assert_eq!(match_case("Acme bank", "Acme Bank"), "Acme Bank");
        assert_eq!(match_case("I", "we"), "We");
    }
}
