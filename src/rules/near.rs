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

use super::{Check, Raw, RuleKind, wrong_body};
use crate::engine::context::Context;
use crate::engine::phrases::{Hit, Role};
use crate::error::Error;
use crate::normalize::Profile;
use crate::policy::validate::Fields;
use crate::policy::{Body, Rule, phrase_profile};

/// The `near` kind.
pub struct Def;

/// Words allowed between the two phrases when the rule does not say.
const DEFAULT_WITHIN: u32 = 5;

impl RuleKind for Def {
    fn validate(&self, f: &Fields<'_>) -> Result<Body, Error> {
        Ok(Body::Near {
            a: f.phrases("a", &f.spec.a)?,
            b: f.phrases("b", &f.spec.b)?,
            within: f.spec.within.unwrap_or(DEFAULT_WITHIN),
        })
    }

    fn phrase_lists(&self, rule: &Rule, add: &mut dyn FnMut(Profile, Role, &[String])) {
        if let Body::Near { a, b, .. } = &rule.body {
            let p = phrase_profile(rule.evasion);
            add(p, Role::A, a);
            add(p, Role::B, b);
        }
    }

    fn compile(&self, rule: &Rule) -> Result<Box<dyn Check>, Error> {
        let Body::Near { within, .. } = &rule.body else {
            return Err(wrong_body(rule));
        };
        Ok(Box::new(Near { within: *within }))
    }
}

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

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_flags, assert_refused};

    const OFF_CHANNEL: &str = r#"
id: off-channel
kind: near
a: ["text me", "dm me"]
b: ["whatsapp", "telegram"]
within: 3
"#;

    #[test]
    fn finds_a_within_n_words_of_b_in_either_order() {
        assert_flags(
            OFF_CHANNEL,
            "Just text me on WhatsApp!",
            &["text me on WhatsApp"],
        );
        assert_flags(
            OFF_CHANNEL,
            "Telegram: please DM me.",
            &["Telegram: please DM me"],
        );
        assert_flags(OFF_CHANNEL, "I text my mom on WhatsApp", &[]);
        assert_flags(
            OFF_CHANNEL,
            "Telegram's fine, text me",
            &["Telegram's fine, text me"],
        );
        assert_flags(
            OFF_CHANNEL,
            "text me, and one two three four words later WhatsApp",
            &[],
        );
    }

    #[test]
    fn exceptions_cancel_only_the_pair_they_touch() {
        let rule = r#"
id: off-channel
kind: near
a: ["call me"]
b: ["whatsapp", "signal"]
unless: ["buy signal"]
"#;
        assert_flags(
            rule,
            "Call me about the buy signal on WhatsApp",
            &["Call me about the buy signal on WhatsApp"],
        );
        assert_flags(rule, "Call me about the buy signal", &[]);
    }

    #[test]
    fn works_in_other_languages() {
        let rule = r#"
id: off-channel
kind: near
a: ["schreib mir", "écris-moi"]
b: ["whatsapp"]
"#;
        assert_flags(
            rule,
            "Schreib mir einfach auf WhatsApp",
            &["Schreib mir einfach auf WhatsApp"],
        );
        assert_flags(rule, "Écris-moi sur WhatsApp", &["Écris-moi sur WhatsApp"]);
        assert_flags(rule, "Er schreibt mir nie auf WhatsApp", &[]);
    }

    #[test]
    fn both_lists_are_required_and_not_empty() {
        assert_refused("{id: n, kind: near, a: [x]}", "`near` rules need `b`");
        assert_refused(
            "{id: n, kind: near, a: [x], b: []}",
            "`b` must list at least one phrase",
        );
    }
}
