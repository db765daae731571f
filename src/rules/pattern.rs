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

use super::{Check, Raw};
use crate::engine::context::Context;
use crate::engine::phrases::Hit;
use crate::error::Error;
use crate::normalize::Profile;
use crate::policy::compile_pattern;

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
