//! `near`: a phrase from list `a` within `within` words of a phrase from list `b`, in
//! either order. The finding covers both phrases and the words between them.
//!
//! ```yaml
//! - id: off-channel
//!   kind: near
//!   a: ["text me", "dm me", "message me"]
//!   b: ["whatsapp", "telegram", "signal"]
//!   within: 5
//! ```
//!
//! "text me on WhatsApp" is flagged; "I text my mom on WhatsApp" is not (`text my` is
//! not `text me`).

use super::{Check, Raw};
use crate::engine::context::Context;
use crate::engine::phrases::{Hit, Role};

pub struct Near {
    pub within: u32,
}

impl Check for Near {
    fn check(&self, cx: &Context<'_>, hits: &[Hit], out: &mut Vec<Raw>) {
        let a: Vec<&Hit> = hits.iter().filter(|h| h.role == Role::A).collect();
        let b: Vec<&Hit> = hits.iter().filter(|h| h.role == Role::B).collect();
        for ha in &a {
            // The closest `b` phrase that does not overlap this `a` phrase.
            let mut best: Option<(usize, &Hit)> = None;
            for hb in &b {
                let (first, second) = if ha.shadow.start <= hb.shadow.start { (*ha, *hb) } else { (*hb, *ha) };
                if first.shadow.end > second.shadow.start {
                    continue;
                }
                let last_of_first = cx.word_index(first.profile, first.shadow.end - 1);
                let first_of_second = cx.word_index(second.profile, second.shadow.start);
                let between = first_of_second.saturating_sub(last_of_first + 1);
                if between <= self.within as usize && best.is_none_or(|(d, _)| between < d) {
                    best = Some((between, hb));
                }
            }
            if let Some((_, hb)) = best {
                let start = ha.span.start.min(hb.span.start);
                let end = ha.span.end.max(hb.span.end);
                out.push(Raw::at(start..end));
            }
        }
    }

    fn default_message(&self) -> &'static str {
        "“{match}” is flagged by the social media policy."
    }
}
