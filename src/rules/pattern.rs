//! `pattern`: a regular expression, with the `regex` crate's guarantees (linear time, no
//! back-references or look-around) and size limits against hostile patterns.
//!
//! ```yaml
//! - id: codename
//!   kind: pattern
//!   pattern: '(?i)\bproject\s+(falcon|osprey)\b'
//! ```
//!
//! Patterns see the draft with compatibility forms folded and invisible characters
//! removed (`evasion: unicode`, the default) or exactly as typed (`evasion: none`).

use regex::Regex;

use super::{Check, Raw, RuleKind, wrong_body};
use crate::engine::context::Context;
use crate::engine::phrases::Hit;
use crate::error::{Error, ErrorKind};
use crate::normalize::Profile;
use crate::policy::validate::Fields;
use crate::policy::{Body, Rule, text_profile};

/// Longest pattern source accepted, in bytes.
pub const MAX_PATTERN_LEN: usize = 4096;
/// Compiled-size limits for one pattern; a hostile pattern fails to compile instead of
/// taking memory or time.
pub const REGEX_SIZE_LIMIT: usize = 1 << 20;
pub const REGEX_DFA_LIMIT: usize = 2 << 20;

/// Compiles a pattern with the engine's size limits.
pub fn compile_pattern(p: &str) -> Result<Regex, Error> {
    if p.len() > MAX_PATTERN_LEN {
        return Err(Error::new(
            ErrorKind::Limit,
            format!("pattern is longer than {MAX_PATTERN_LEN} bytes"),
        ));
    }
    regex::RegexBuilder::new(p)
        .size_limit(REGEX_SIZE_LIMIT)
        .dfa_size_limit(REGEX_DFA_LIMIT)
        .nest_limit(64)
        .build()
        .map_err(|e| match e {
            regex::Error::CompiledTooBig(_) => Error::new(
                ErrorKind::Limit,
                "pattern is too large once compiled (over 1 MiB); split it or simplify its repetitions",
            ),
            other => Error::new(
                ErrorKind::InvalidPattern,
                format!(
                    "invalid pattern: {}",
                    other
                        .to_string()
                        .replace('\n', " ")
                        .split_whitespace()
                        .collect::<Vec<_>>()
                        .join(" ")
                ),
            ),
        })
}

/// The `pattern` kind.
pub struct Def;

impl RuleKind for Def {
    fn validate(&self, f: &Fields<'_>) -> Result<Body, Error> {
        let p = f.required(&f.spec.pattern, "pattern")?;
        let re = compile_pattern(p).map_err(|e| f.at(Some("pattern"), e))?;
        if re.is_match("") {
            return Err(f.err(
                Some("pattern"),
                ErrorKind::InvalidPattern,
                "pattern matches the empty string, so it would flag every draft",
            ));
        }
        Ok(Body::Pattern { pattern: p.clone() })
    }

    fn compile(&self, rule: &Rule) -> Result<Box<dyn Check>, Error> {
        let Body::Pattern { pattern } = &rule.body else {
            return Err(wrong_body(rule));
        };
        let compiled = Pattern::new(pattern, text_profile(rule.evasion)).map_err(|e| {
            e.with_rule(&rule.id)
                .with_file(&rule.origin.file)
                .with_position(rule.origin.position)
        })?;
        Ok(Box::new(compiled))
    }
}

/// One regex that matches wherever any of a policy's patterns (for one text view) could:
/// the alternation of them all. A draft it does not match skips every pattern rule with
/// a single scan, instead of one scan per rule.
///
/// With a single pattern there is nothing to skip: the rule's own scan is the same scan,
/// so no prefilter is compiled (one regex compile less at start-up for the default policy).
pub fn prefilter(patterns: &[&str]) -> Option<Regex> {
    if patterns.len() < 2 {
        return None;
    }
    let alternation: Vec<String> = patterns.iter().map(|p| format!("(?:{p})")).collect();
    // If the union is too large to compile, every rule simply runs on its own.
    compile_pattern(&alternation.join("|")).ok()
}

pub struct Pattern {
    re: Regex,
    text: Option<Profile>,
}

impl Pattern {
    pub fn new(pattern: &str, text: Option<Profile>) -> Result<Pattern, Error> {
        Ok(Pattern {
            re: compile_pattern(pattern)?,
            text,
        })
    }
}

impl Check for Pattern {
    fn check(&self, cx: &Context<'_>, _hits: &[Hit], out: &mut Vec<Raw>) {
        if !cx.patterns_may_match(self.text) {
            return;
        }
        let view = cx.view(self.text);
        for m in self.re.find_iter(view.text) {
            if m.start() < m.end() {
                out.push(Raw::at(view.to_original(m.range())));
            }
        }
    }

    fn default_message(&self) -> &'static str {
        "“{match}” is flagged by the social media policy."
    }
}

#[cfg(test)]
mod tests {
    use super::compile_pattern;
    use crate::ErrorKind;
    use crate::rules::test_support::{assert_flags, assert_refused};

    #[test]
    fn matches_on_the_unicode_folded_text() {
        let rule = "{id: codename, kind: pattern, severity: block, pattern: '(?i)\\bproject\\s+(falcon|osprey)\\b'}";
        assert_flags(rule, "Soon: PROJECT Falcon!", &["PROJECT Falcon"]);
        assert_flags(rule, "Project\u{00A0}Ｏsprey", &["Project\u{00A0}Ｏsprey"]);
        assert_flags(rule, "A falcon project is cool", &[]);
        assert_flags(rule, "project falconry", &[]);
    }

    #[test]
    fn case_folds_beyond_ascii_and_sees_through_invisible_characters() {
        let rule = "{id: code, kind: pattern, pattern: '(?i)\\bprojet\\s+étoile\\b'}";
        assert_flags(rule, "Le PROJET ÉTOILE arrive", &["PROJET ÉTOILE"]);
        assert_flags(rule, "le projet é\u{200B}toile", &["projet é\u{200B}toile"]);
        assert_flags(rule, "le projet étoiles", &[]);
    }

    #[test]
    fn refuses_what_would_not_compile_or_would_flag_everything() {
        let e = assert_refused(
            "{id: p, kind: pattern, pattern: 'x*'}",
            "pattern matches the empty string, so it would flag every draft",
        );
        assert_eq!(e.kind, ErrorKind::InvalidPattern);
        assert_eq!(
            compile_pattern(&"a".repeat(5000)).unwrap_err().message,
            "pattern is longer than 4096 bytes"
        );
        assert_eq!(
            compile_pattern("(x").unwrap_err().kind,
            ErrorKind::InvalidPattern
        );
    }
}
