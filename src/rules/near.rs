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

/// Most `b` phrases paired with one `a` phrase, so a pathological draft stays linear.
const MAX_PAIRS: usize = 16;

impl Check for Near {
    fn check(&self, cx: &Context<'_>, hits: &[Hit], out: &mut Vec<Raw>) {
        let a: Vec<&Hit> = hits.iter().filter(|h| h.role == Role::A).collect();
        let b: Vec<&Hit> = hits.iter().filter(|h| h.role == Role::B).collect();
        for ha in &a {
            // Every `b` phrase close enough, nearest first. Each pair is its own raw
            // finding so an exception that covers one pair's phrase does not hide
            // another pair; overlap resolution then keeps one underline.
            let mut close: Vec<(usize, &Hit)> = Vec::new();
            for hb in &b {
                let (first, second) = if ha.shadow.start <= hb.shadow.start {
                    (*ha, *hb)
                } else {
                    (*hb, *ha)
                };
                if first.shadow.end > second.shadow.start {
                    continue;
                }
                let last_of_first = cx.word_index(first.profile, first.shadow.end - 1);
                let first_of_second = cx.word_index(second.profile, second.shadow.start);
                let between = first_of_second.saturating_sub(last_of_first + 1);
                if between <= self.within as usize {
                    close.push((between, hb));
                }
            }
            close.sort_by_key(|(d, h)| (*d, h.span.start));
            for (_, hb) in close.into_iter().take(MAX_PAIRS) {
                let start = ha.span.start.min(hb.span.start);
                let end = ha.span.end.max(hb.span.end);
                out.push(Raw {
                    span: start..end,
                    parts: vec![ha.span.clone(), hb.span.clone()],
                    ..Raw::default()
                });
            }
        }
    }

    fn default_message(&self) -> &'static str {
        "“{match}” is flagged by the social media policy."
    }
}
