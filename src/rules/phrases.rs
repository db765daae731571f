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

use super::{Check, Raw, RuleKind, match_case, wrong_body};
use crate::engine::context::Context;
use crate::engine::phrases::{Hit, Role};
use crate::error::Error;
use crate::finding::Suggestion;
use crate::normalize::{self, Profile};
use crate::policy::validate::Fields;
use crate::policy::{Body, Evasion, Rule, Suggest, phrase_profile};

/// The `phrases` kind.
pub struct Def;

impl RuleKind for Def {
    fn validate(&self, f: &Fields<'_>) -> Result<Body, Error> {
        Ok(Body::Phrases {
            phrases: f.phrases("phrases", &f.spec.phrases)?,
        })
    }

    fn phrase_lists(&self, rule: &Rule, add: &mut dyn FnMut(Profile, Role, &[String])) {
        if let Body::Phrases { phrases } = &rule.body {
            add(phrase_profile(rule.evasion), Role::Main, phrases);
        }
    }

    fn compile(&self, rule: &Rule) -> Result<Box<dyn Check>, Error> {
        let Body::Phrases { phrases } = &rule.body else {
            return Err(wrong_body(rule));
        };
        Ok(Box::new(Phrases::new(phrases, &rule.suggest, rule.evasion)))
    }
}

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

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_flags, engine, findings};

    #[test]
    fn flags_whole_words_with_fixes_in_the_typed_case() {
        let e = engine(
            r#"
id: promissory
kind: phrases
severity: block
message: "Promising returns is not allowed (FINRA 2210(d)(1)): {match}"
phrases: ["guaranteed returns", "risk-free", "can't lose"]
unless: ["not guaranteed", "no guaranteed"]
suggest: { "guaranteed returns": "potential returns" }
"#,
        );
        let fs = findings(&e, "Our fund has Guaranteed returns and you can’t lose.");
        let texts: Vec<&str> = fs.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(texts, ["Guaranteed returns", "can’t lose"]);
        assert_eq!(
            fs[0].message,
            "Promising returns is not allowed (FINRA 2210(d)(1)): Guaranteed returns"
        );
        assert_eq!(fs[0].severity, crate::Severity::Block);
        assert_eq!(fs[0].suggestions[0].replacement, "Potential returns");
        assert_eq!(fs[0].suggestions[0].span, fs[0].span);
        assert!(fs[1].suggestions.is_empty());
        // False positives: an exception, and words that merely contain the phrase.
        assert!(findings(&e, "Returns are not guaranteed returns of capital.").is_empty());
        assert!(findings(&e, "unguaranteed returnsless risk-freely").is_empty());
    }

    #[test]
    fn respect_word_boundaries_inside_longer_words() {
        let rule = "{id: p, kind: phrases, phrases: [ass, cunt, cock]}";
        for clean in [
            "Our assessment of classic cocktails",
            "Scunthorpe United",
            "a glass of water",
            "Hancock",
        ] {
            assert_flags(rule, clean, &[]);
        }
        assert_flags(rule, "what a c0ck, really", &["c0ck"]);
        // A product code is not leetspeak.
        assert_flags(rule, "My new Galaxy A55", &[]);
    }

    #[test]
    fn match_where_they_stand_in_unspaced_scripts_and_tags() {
        let rule = "{id: p, kind: phrases, phrases: [\"機密\", \"#employee\"]}";
        assert_flags(rule, "これは機密です", &["機密"]);
        assert_flags(rule, "Proud! #employee", &["#employee"]);
        assert_flags(rule, "#employees and x#employee", &[]);
    }

    #[test]
    fn possessives_do_not_hide_a_phrase() {
        let rule = "{id: p, kind: phrases, phrases: [\"Project Falcon\"]}";
        assert_flags(rule, "Project Falcon's launch", &["Project Falcon"]);
        assert_flags(rule, "Project Falcon’s launch", &["Project Falcon"]);
    }

    #[test]
    fn accented_and_cyrillic_phrases_match_their_words_only() {
        let rule = "{id: p, kind: phrases, phrases: [\"rendement garanti\", \"garantierte Rendite\", \"гарантированный доход\"]}";
        assert_flags(
            rule,
            "Un RENDEMENT GARANTI, eine garantierte Rendite und гарантированный доход",
            &[
                "RENDEMENT GARANTI",
                "garantierte Rendite",
                "гарантированный доход",
            ],
        );
        assert_flags(
            rule,
            "rendements garantis, garantierte Renditen, гарантированный доходный",
            &[],
        );
    }

    #[test]
    fn suggestions_name_only_the_rules_own_phrases() {
        crate::rules::test_support::assert_refused(
            "{id: a, kind: phrases, phrases: [x1], suggest: {y1: z}}",
            "`suggest` has a replacement for `y1`, which is not one of this rule's phrases",
        );
        crate::rules::test_support::assert_refused(
            "{id: a, kind: phrases, phrases: [\"  \"]}",
            "phrase `  ` in `phrases` is empty once normalized (only spaces, dashes or invisible characters)",
        );
    }
}
