//! `swap`: a discouraged form and the preferred one, matched case-sensitively on word
//! boundaries; the preferred form is offered as the fix.
//!
//! ```yaml
//! - id: brand-name
//!   kind: swap
//!   swap: { "Acme bank": "Acme Bank", "ACME bank": "Acme Bank" }
//! ```

use super::{Check, Raw};
use crate::engine::context::Context;
use crate::engine::phrases::{Hit, Role};
use crate::finding::Suggestion;

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
