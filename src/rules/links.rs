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

use super::{Check, Raw, RuleKind, wrong_body};
use crate::detectors::links::{covers, normalize_domain};
use crate::engine::context::Context;
use crate::engine::phrases::Hit;
use crate::error::{Error, ErrorKind};
use crate::normalize::Profile;
use crate::policy::validate::Fields;
use crate::policy::{Body, Rule, text_profile};

/// The `links` kind.
pub struct Def;

impl RuleKind for Def {
    fn validate(&self, f: &Fields<'_>) -> Result<Body, Error> {
        if f.spec.allow_domains.is_none() && f.spec.deny_domains.is_none() {
            return Err(f.err(
                None,
                ErrorKind::MissingField,
                "`links` rules need `allow_domains`, `deny_domains` or both",
            ));
        }
        let domains = |field: &str, v: &Option<Vec<String>>| -> Result<Vec<String>, Error> {
            f.list(v)
                .iter()
                .map(|d| normalize_domain(d).map_err(|e| f.at(Some(field), e)))
                .collect()
        };
        Ok(Body::Links {
            allow_domains: domains("allow_domains", &f.spec.allow_domains)?,
            deny_domains: domains("deny_domains", &f.spec.deny_domains)?,
        })
    }

    fn compile(&self, rule: &Rule) -> Result<Box<dyn Check>, Error> {
        let Body::Links {
            allow_domains,
            deny_domains,
        } = &rule.body
        else {
            return Err(wrong_body(rule));
        };
        Ok(Box::new(Links::new(
            allow_domains,
            deny_domains,
            text_profile(rule.evasion),
        )))
    }
}

pub struct Links {
    allow: Vec<String>,
    deny: Vec<String>,
    text: Option<Profile>,
}

impl Links {
    pub fn new(allow: &[String], deny: &[String], text: Option<Profile>) -> Links {
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

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_flags, assert_refused, engine, findings};

    const LINKS: &str = r#"
id: links
kind: links
allow_domains: ["acme.example", "linkedin.com"]
deny_domains: ["@shorteners"]
"#;

    #[test]
    fn allow_and_deny_domains_with_subdomains_and_shorteners() {
        let fs = findings(
            &engine(LINKS),
            "See https://news.acme.example/x, bit.ly/abc and evil.example.com/y.",
        );
        let texts: Vec<&str> = fs.iter().map(|f| f.text.as_str()).collect();
        assert_eq!(texts, ["bit.ly/abc", "evil.example.com/y"]);
        assert_eq!(
            fs[0].message,
            "Links to bit.ly are not allowed by the social media policy."
        );
        assert_flags(
            LINKS,
            "Read www.linkedin.com/in/me and acme.example, mail bob@evil.com",
            &[],
        );
    }

    #[test]
    fn links_in_non_english_text_and_look_alike_hosts() {
        assert_flags(
            LINKS,
            "Mehr dazu: https://acme.example/de/konto — или тут: bit.ly/xyz 詳しくは t.co/abc",
            &["bit.ly/xyz", "t.co/abc"],
        );
        // Fullwidth letters fold before links are found.
        assert_flags(LINKS, "ｂｉｔ．ｌｙ/abc", &["ｂｉｔ．ｌｙ/abc"]);
    }

    #[test]
    fn domains_are_checked_when_the_policy_loads() {
        assert_refused(
            "{id: l, kind: links, allow_domains: [\"not a domain\"]}",
            "`not a domain` is not a domain; expected something like `example.com`, or `@shorteners`",
        );
        let e = assert_refused(
            "{id: l, kind: links}",
            "`links` rules need `allow_domains`, `deny_domains` or both",
        );
        assert_eq!(e.kind, crate::ErrorKind::MissingField);
    }
}
