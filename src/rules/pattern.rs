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
//!
//! A pattern is compiled while the policy loads, so a bad one is reported with its line,
//! but the engine compiles it again only on the first check that runs it: building an
//! engine compiles no regex, which keeps the regex compiler out of a restarted worker's
//! start-up (V8 compiles wasm code on its first call). The embedded default policy's
//! patterns, read from their build-time form, are not compiled at load either (a test
//! loads them the validating way).

use regex::Regex;

use super::{Check, Raw, RuleKind, wrong_body};
use crate::engine::context::Context;
use crate::engine::lazy_regex::LazyRegex;
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
        if f.trusted {
            return Ok(Body::Pattern { pattern: p.clone() });
        }
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
        Ok(Box::new(Pattern::new(pattern, text_profile(rule.evasion))))
    }
}

/// One regex that matches wherever any of a policy's patterns (for one text view) could:
/// the alternation of them all. A draft it does not match skips every pattern rule with
/// a single scan, instead of one scan per rule.
///
/// With a single pattern there is nothing to skip: the rule's own scan is the same scan,
/// so no prefilter is compiled (one regex compile less at start-up for the default policy).
/// Compiled on first use, like the patterns themselves; if the union is too large to
/// compile, every rule simply runs on its own.
pub fn prefilter(patterns: &[&str]) -> Option<LazyRegex> {
    if patterns.len() < 2 {
        return None;
    }
    let alternation: Vec<String> = patterns.iter().map(|p| format!("(?:{p})")).collect();
    Some(LazyRegex::new(alternation.join("|"), compile_lazily))
}

fn compile_lazily(p: &str) -> Option<Regex> {
    compile_pattern(p).ok()
}

// `DEFAULT_PATTERN_LITERALS`, written by build.rs from the embedded default policy.
include!(concat!(env!("OUT_DIR"), "/default_pattern_literals.rs"));

pub struct Pattern {
    /// Compiled on the first check that needs it; it compiles, as validation made sure
    /// for every rule a policy load produces (a rule that does not flags nothing).
    re: LazyRegex,
    /// For the default policy's patterns, the literals (ASCII case ignored) one of which
    /// starts every match: a draft without any is skipped before the pattern is compiled.
    starts: Option<&'static [&'static str]>,
    text: Option<Profile>,
}

impl Pattern {
    pub fn new(pattern: &str, text: Option<Profile>) -> Pattern {
        Pattern {
            re: LazyRegex::new(pattern.to_string(), compile_lazily),
            starts: DEFAULT_PATTERN_LITERALS
                .iter()
                .find(|(p, _)| *p == pattern)
                .map(|&(_, literals)| literals),
            text,
        }
    }
}

/// Whether `text` holds one of `literals`, ASCII case ignored.
fn holds_any(text: &str, literals: &[&str]) -> bool {
    let text = text.as_bytes();
    literals.iter().any(|l| {
        let l = l.as_bytes();
        l.is_empty() || text.windows(l.len()).any(|w| w.eq_ignore_ascii_case(l))
    })
}

impl Check for Pattern {
    fn check(&self, cx: &Context<'_>, _hits: &[Hit], out: &mut Vec<Raw>) {
        if !cx.patterns_may_match(self.text) {
            return;
        }
        let view = cx.view(self.text);
        if self.starts.is_some_and(|l| !holds_any(view.text, l)) {
            return;
        }
        let Some(re) = self.re.get() else {
            return;
        };
        for m in re.find_iter(view.text) {
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
    use super::{DEFAULT_PATTERN_LITERALS, Pattern, compile_pattern};
    use crate::engine::context::Context;
    use crate::normalize::Profile;
    use crate::policy::{Body, Policy};
    use crate::rules::Check;
    use crate::rules::test_support::{assert_flags, assert_refused};
    use crate::{Draft, Engine, ErrorKind};

    /// Every pattern of the embedded default has its literals, so a draft without them
    /// (most drafts) is checked without compiling any regex.
    #[test]
    fn the_default_policys_patterns_have_their_start_literals() {
        let policy = Policy::embedded_default().unwrap();
        let mut n = 0;
        for rule in &policy.rules {
            if let Body::Pattern { pattern } = &rule.body {
                n += 1;
                let found = DEFAULT_PATTERN_LITERALS.iter().find(|(p, _)| p == pattern);
                assert!(found.is_some_and(|(_, l)| !l.is_empty()), "{pattern}");
            }
        }
        assert!(n > 0);
    }

    #[test]
    fn a_draft_without_the_start_literals_does_not_compile_the_pattern() {
        let (source, _) = DEFAULT_PATTERN_LITERALS[0];
        let pattern = Pattern::new(source, Some(Profile::Cased));
        let check = |text: &str| {
            let mut out = Vec::new();
            let cx = Context::new(text, None, None, &[None, None], None);
            pattern.check(&cx, &[], &mut out);
            out.len()
        };
        assert_eq!(check("Our launch is next week, see you there."), 0);
        assert!(!pattern.re.is_compiled());
        assert_eq!(check("Teaser: ＰＲＯＪＥＣＴ Falcon lands soon"), 1);
        assert!(pattern.re.is_compiled());
    }

    #[test]
    fn the_default_codenames_still_flag_every_spelling() {
        let engine = Engine::new(Policy::embedded_default().unwrap()).unwrap();
        for text in [
            "Soon: #ProjectFalcon!",
            "PROJECT_osprey update",
            "Project Falcon's launch",
            "ｐｒｏｊｅｃｔ ｆａｌｃｏｎ",
        ] {
            let findings = engine.check(&Draft::new(text));
            assert!(findings.iter().any(|f| f.rule == "codenames"), "{text}");
        }
    }

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
