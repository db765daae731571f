//! `swap`: a discouraged form and the preferred one, matched case-sensitively on word
//! boundaries; the preferred form is offered as the fix.
//!
//! ```yaml
//! - id: brand-name
//!   kind: swap
//!   swap: { "Acme bank": "Acme Bank", "ACME bank": "Acme Bank" }
//! ```

use serde_json::Value;

use super::{Check, Raw, RuleKind, wrong_body};
use crate::engine::context::Context;
use crate::engine::phrases::{Hit, Role};
use crate::error::{Error, ErrorKind};
use crate::finding::Suggestion;
use crate::normalize::{self, Profile};
use crate::policy::validate::Fields;
use crate::policy::{Body, Rule};

/// The `swap` kind.
pub struct Def;

impl RuleKind for Def {
    fn validate(&self, f: &Fields<'_>) -> Result<Body, Error> {
        let map = f.required(&f.spec.swap, "swap")?;
        let bad = |msg: String| f.err(Some("swap"), ErrorKind::InvalidValue, msg);
        if map.is_empty() {
            return Err(bad(
                "`swap` must map at least one form to its replacement".into()
            ));
        }
        let mut pairs = Vec::new();
        for (from, to) in map {
            let Value::String(to) = to else {
                return Err(bad(format!(
                    "`swap`: the replacement for `{from}` must be a string"
                )));
            };
            if normalize::phrase(from, Profile::Cased).is_empty() {
                return Err(bad(format!("`swap`: `{from}` is empty once normalized")));
            }
            if from == to {
                return Err(bad(format!("`swap`: `{from}` maps to itself")));
            }
            pairs.push((from.clone(), to.clone()));
        }
        Ok(Body::Swap { pairs })
    }

    /// The discouraged forms, matched case-sensitively.
    fn phrase_lists(&self, rule: &Rule, add: &mut dyn FnMut(Profile, Role, &[String])) {
        if let Body::Swap { pairs } = &rule.body {
            let forms: Vec<String> = pairs.iter().map(|(from, _)| from.clone()).collect();
            add(Profile::Cased, Role::Main, &forms);
        }
    }

    fn compile(&self, rule: &Rule) -> Result<Box<dyn Check>, Error> {
        let Body::Swap { pairs } = &rule.body else {
            return Err(wrong_body(rule));
        };
        Ok(Box::new(Swap {
            replacements: pairs.iter().map(|(_, to)| to.clone()).collect(),
        }))
    }
}

pub struct Swap {
    /// Preferred form per `swap` entry, by index.
    pub replacements: Vec<String>,
}

impl Check for Swap {
    fn check(&self, _cx: &Context<'_>, hits: &[Hit], out: &mut Vec<Raw>) {
        for h in hits.iter().filter(|h| h.role == Role::Main) {
            let to = &self.replacements[h.index as usize];
            out.push(Raw {
                span: h.span.clone(),
                detail: Some(to.clone()),
                fixes: Some(vec![Suggestion {
                    span: h.span.clone(),
                    replacement: to.clone(),
                }]),
                ..Raw::default()
            });
        }
    }

    fn default_message(&self) -> &'static str {
        "Write “{detail}”, not “{match}”."
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_flags, assert_refused, engine, findings};

    #[test]
    fn is_case_sensitive_and_offers_the_preferred_form() {
        let rule = "{id: brand, kind: swap, swap: {\"Acme bank\": \"Acme Bank\"}}";
        let fs = findings(&engine(rule), "I love Acme bank!");
        assert_eq!(fs.len(), 1);
        assert_eq!(
            (fs[0].rule.as_str(), fs[0].text.as_str()),
            ("brand", "Acme bank")
        );
        assert_eq!(fs[0].message, "Write “Acme Bank”, not “Acme bank”.");
        assert_eq!(fs[0].suggestions[0].replacement, "Acme Bank");
        assert_flags(rule, "I love Acme Bank and ACME BANK.", &[]);
        assert_flags(rule, "Acme banker", &[]);
    }

    #[test]
    fn works_for_accented_and_non_latin_forms() {
        let rule = "{id: brand, kind: swap, swap: {\"Societe Generale\": \"Société Générale\", \"アクメ銀行\": \"アクメバンク\"}}";
        assert_flags(
            rule,
            "Merci Societe Generale et アクメ銀行",
            &["Societe Generale", "アクメ銀行"],
        );
        assert_flags(rule, "Merci Société Générale et アクメバンク", &[]);
    }

    #[test]
    fn refuses_forms_that_map_to_themselves_or_to_nothing() {
        assert_refused(
            "{id: s, kind: swap, swap: {Acme: Acme}}",
            "`swap`: `Acme` maps to itself",
        );
        assert_refused(
            "{id: s, kind: swap, swap: {Acme: [x]}}",
            "`swap`: the replacement for `Acme` must be a string",
        );
        assert_refused(
            "{id: s, kind: swap, swap: {}}",
            "`swap` must map at least one form to its replacement",
        );
    }
}
