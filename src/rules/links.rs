//! `links`: URLs and bare domains (`bit.ly/x`, `https://example.com/a`, `acme.example`),
//! checked against `allow_domains` and `deny_domains`. Subdomains count as their parent
//! (`news.acme.example` is `acme.example`). `@shorteners` names the built-in list of
//! link shorteners, which hide where a link goes.
//!
//! ```yaml
//! - id: links
//!   kind: links
//!   allow_domains: ["acme.example", "linkedin.com"]
//!   deny_domains: ["@shorteners"]
//! ```
//!
//! Links are found by [`crate::detectors::links`]: bare domains only with a known
//! top-level domain, so `Node.js`, `e.g.` and `v2.10.1` are not links, and the domain of
//! an e-mail address is not a link.

use super::{Check, Raw};
use crate::detectors::links::{self, covers};
use crate::engine::context::Context;
use crate::engine::phrases::Hit;
use crate::normalize::Profile;

pub struct Links {
    allow: Vec<String>,
    deny: Vec<String>,
    text: Option<Profile>,
}

impl Links {
    pub fn new(allow: &[String], deny: &[String], text: Option<Profile>) -> Links {
        links::warm_up();
        Links {
            allow: allow.to_vec(),
            deny: deny.to_vec(),
            text,
        }
    }
}

impl Check for Links {
    fn check(&self, cx: &Context<'_>, _hits: &[Hit], out: &mut Vec<Raw>) {
        for l in cx.links(self.text) {
            let denied = self.deny.iter().any(|d| covers(d, &l.host));
            let allowed = self.allow.is_empty() || self.allow.iter().any(|d| covers(d, &l.host));
            if denied || !allowed {
                out.push(Raw {
                    span: l.span.clone(),
                    detail: Some(l.host.clone()),
                    fixes: None,
                    ..Raw::default()
                });
            }
        }
    }

    fn default_message(&self) -> &'static str {
        "Links to {detail} are not allowed by the social media policy."
    }
}
