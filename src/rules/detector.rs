//! `detector`: one of the built-in validated detectors (`credit_card`, `iban`, `us_ssn`,
//! `aba_routing`, `email`, `phone`, `account_number`, `secret`, `mention`, `hashtag`,
//! `cashtag`), minus the values in `allow`.
//!
//! ```yaml
//! - id: customer-card
//!   kind: detector
//!   detector: credit_card
//!   severity: block
//! - id: phone-numbers
//!   kind: detector
//!   detector: phone
//!   allow: ["1-800-555-0100"]    # our own number, in any formatting
//! ```

use super::{Check, Raw, RuleKind, wrong_body};
use crate::detectors::DetectorKind;
use crate::engine::context::Context;
use crate::engine::phrases::Hit;
use crate::error::Error;
use crate::normalize::Profile;
use crate::policy::validate::Fields;
use crate::policy::{Body, Rule, text_profile};

/// The `detector` kind.
pub struct Def;

impl RuleKind for Def {
    fn validate(&self, f: &Fields<'_>) -> Result<Body, Error> {
        let name = f.required(&f.spec.detector, "detector")?;
        let detector = DetectorKind::parse(name).map_err(|e| f.at(Some("detector"), e))?;
        Ok(Body::Detector {
            detector,
            allow: f.list(&f.spec.allow).to_vec(),
        })
    }

    fn compile(&self, rule: &Rule) -> Result<Box<dyn Check>, Error> {
        let Body::Detector { detector, allow } = &rule.body else {
            return Err(wrong_body(rule));
        };
        Ok(Box::new(DetectorRule::new(
            *detector,
            allow,
            text_profile(rule.evasion),
        )))
    }
}

pub struct DetectorRule {
    kind: DetectorKind,
    allow: Vec<String>,
    text: Option<Profile>,
}

impl DetectorRule {
    pub fn new(kind: DetectorKind, allow: &[String], text: Option<Profile>) -> DetectorRule {
        let d = kind.get();
        DetectorRule {
            kind,
            allow: allow.iter().map(|a| d.canonical(a)).collect(),
            text,
        }
    }
}

impl Check for DetectorRule {
    fn check(&self, cx: &Context<'_>, _hits: &[Hit], out: &mut Vec<Raw>) {
        let d = self.kind.get();
        for r in cx.detector(self.kind, self.text) {
            if !self.allow.is_empty() {
                // Compare what the detector saw (digits of every script as ASCII).
                let p = self.text.unwrap_or(Profile::Digits);
                let value = d.canonical(&crate::normalize::shadow(&cx.text[r.clone()], p).text);
                if self.allow.contains(&value) {
                    continue;
                }
            }
            out.push(Raw::at(r.clone()));
        }
    }

    fn default_message(&self) -> &'static str {
        self.kind.get().message()
    }
}

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_flags, assert_refused};

    #[test]
    fn flags_validated_matches_minus_the_allow_list_in_any_formatting() {
        let rule = "{id: phones, kind: detector, detector: phone, allow: [\"1-800-555-0100\"]}";
        assert_flags(
            rule,
            "Call (800) 555-0100 or +1 212 555 0187",
            &["+1 212 555 0187"],
        );
        let cards = "{id: cards, kind: detector, detector: credit_card}";
        // Fullwidth digits are folded before the detector looks; a number failing Luhn
        // is not a card.
        assert_flags(
            cards,
            "Karte ４１１１ １１１１ １１１１ １１１１, Bestellung 4111 1111 1111 1112",
            &["４１１１ １１１１ １１１１ １１１１"],
        );
    }

    #[test]
    fn unknown_detectors_are_refused_with_the_list() {
        let e = assert_refused(
            "{id: a, kind: detector, detector: ssn}",
            "unknown detector `ssn`; known detectors: credit_card, iban, us_ssn, aba_routing, email, phone, account_number, secret, mention, hashtag, cashtag",
        );
        assert_eq!(e.kind, crate::ErrorKind::InvalidValue);
    }
}
