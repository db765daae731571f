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

use super::{Check, Raw};
use crate::detectors::DetectorKind;
use crate::engine::context::Context;
use crate::engine::phrases::Hit;
use crate::normalize::Profile;

pub struct DetectorRule {
    kind: DetectorKind,
    allow: Vec<String>,
    text: Option<Profile>,
}

impl DetectorRule {
    pub fn new(kind: DetectorKind, allow: &[String], text: Option<Profile>) -> DetectorRule {
        let d = kind.get();
        d.warm_up();
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
