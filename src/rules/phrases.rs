//! `phrases`: a word-bounded term list.
//!
//! ```yaml
//! - id: promissory
//!   kind: phrases
//!   severity: block
//!   phrases: ["guaranteed returns", "risk-free", "can't lose"]
//!   unless: ["not guaranteed"]
//!   suggest: { "guaranteed returns": "potential returns" }
//! ```
//!
//! Matching is case-insensitive and, by default, sees through leetspeak, look-alike
//! letters, invisible characters and spaced-out letters (`evasion`), always on word
//! boundaries: `ass` does not match `assessment` or `classic`.

use super::{Check, Raw, match_case};
use crate::engine::context::Context;
use crate::engine::phrases::{Hit, Role};
use crate::finding::Suggestion;
use crate::normalize;
use crate::policy::{Evasion, Suggest, phrase_profile};

pub struct Phrases {
    /// Replacements per phrase, by index into the rule's list.
    per_phrase: Vec<Vec<String>>,
}

impl Phrases {
    pub fn new(phrases: &[String], suggest: &Suggest, evasion: Evasion) -> Phrases {
        let profile = phrase_profile(evasion);
        let per_phrase = phrases
            .iter()
            .map(|p| match suggest {
                Suggest::ByPhrase(map) => {
                    let key = normalize::phrase(p, profile);
                    map.iter()
                        .find(|(k, _)| *k == key)
                        .map(|(_, r)| r.clone())
                        .unwrap_or_default()
                }
                Suggest::Always(r) => r.clone(),
                Suggest::None => Vec::new(),
            })
            .collect();
        Phrases { per_phrase }
    }
}

impl Check for Phrases {
    fn check(&self, cx: &Context<'_>, hits: &[Hit], out: &mut Vec<Raw>) {
        for h in hits.iter().filter(|h| h.role == Role::Main) {
            let typed = &cx.text[h.span.clone()];
            let fixes = self.per_phrase[h.index as usize]
                .iter()
                .map(|r| Suggestion {
                    span: h.span.clone(),
                    replacement: match_case(typed, r),
                })
                .collect();
            out.push(Raw {
                span: h.span.clone(),
                detail: None,
                fixes: Some(fixes),
                ..Raw::default()
            });
        }
    }

    fn default_message(&self) -> &'static str {
        "“{match}” is not allowed by the social media policy."
    }
}
