//! `require`: when a trigger phrase appears, at least one of the required phrases must
//! appear too, anywhere in the draft. Otherwise the first trigger is flagged and each
//! required phrase is offered as a fix that appends it to the draft. This is the FTC
//! endorsement-disclosure case.
//!
//! ```yaml
//! - id: disclosure
//!   kind: require
//!   when: ["Acme Bank", "#AcmeBank"]
//!   require: ["#AcmeEmployee", "#ad", "#employee"]
//! ```

use super::{Check, Raw};
use crate::engine::context::Context;
use crate::engine::phrases::{Hit, Role};
use crate::finding::Suggestion;

pub struct Require {
    pub require: Vec<String>,
}

impl Check for Require {
    fn check(&self, cx: &Context<'_>, hits: &[Hit], out: &mut Vec<Raw>) {
        if hits.iter().any(|h| h.role == Role::Require) {
            return;
        }
        let Some(first) = hits
            .iter()
            .filter(|h| h.role == Role::When)
            .min_by_key(|h| h.span.start)
        else {
            return;
        };
        let end = cx.text.len();
        let sep = if cx.text.ends_with(char::is_whitespace) || cx.text.is_empty() {
            ""
        } else {
            " "
        };
        let fixes = self
            .require
            .iter()
            .take(3)
            .map(|r| Suggestion {
                span: end..end,
                replacement: format!("{sep}{r}"),
            })
            .collect();
        out.push(Raw {
            span: first.span.clone(),
            detail: Some(or_list(&self.require)),
            fixes: Some(fixes),
            ..Raw::default()
        });
    }

    fn default_message(&self) -> &'static str {
        "Posts that mention “{match}” must also include {detail}."
    }
}

/// `a`, `a or b`, `a, b or c`.
fn or_list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} or {last}", init.join(", ")),
    }
}
