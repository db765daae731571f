//! The rule kinds, one per file. Each turns phrase hits or its own search of the draft
//! into raw findings; the engine adds what every rule shares (exceptions, messages,
//! suggestions, overlap resolution).

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
use crate::engine::phrases::Hit;
use crate::error::Error;
use crate::finding::Suggestion;
use crate::policy::{Body, Rule};

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

/// Compiles a validated rule's kind.
pub fn compile(rule: &Rule) -> Result<Box<dyn Check>, Error> {
    let text = crate::policy::text_profile(rule.evasion);
    Ok(match &rule.body {
        Body::Phrases { phrases } => {
            Box::new(phrases::Phrases::new(phrases, &rule.suggest, rule.evasion))
        }
        Body::Near { within, .. } => Box::new(near::Near { within: *within }),
        Body::Swap { pairs } => Box::new(swap::Swap {
            replacements: pairs.iter().map(|(_, to)| to.clone()).collect(),
        }),
        Body::Pattern { pattern } => {
            Box::new(pattern::Pattern::new(pattern, text).map_err(|e| {
                e.with_rule(&rule.id)
                    .with_file(&rule.origin.file)
                    .with_position(rule.origin.position)
            })?)
        }
        Body::Detector { detector, allow } => {
            Box::new(detector::DetectorRule::new(*detector, allow, text))
        }
        Body::Require { require, .. } => Box::new(require::Require {
            require: require.clone(),
        }),
        Body::Links {
            allow_domains,
            deny_domains,
        } => Box::new(links::Links::new(allow_domains, deny_domains, text)),
        Body::Length { max, count } => Box::new(length::Length {
            max: *max,
            count: *count,
        }),
    })
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
