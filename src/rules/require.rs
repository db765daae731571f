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

use super::{Check, Raw, RuleKind, wrong_body};
use crate::engine::context::Context;
use crate::engine::phrases::{Hit, Role};
use crate::error::Error;
use crate::finding::Suggestion;
use crate::normalize::Profile;
use crate::policy::validate::Fields;
use crate::policy::{Body, Rule, phrase_profile};

/// The `require` kind.
pub struct Def;

impl RuleKind for Def {
    fn validate(&self, f: &Fields<'_>) -> Result<Body, Error> {
        Ok(Body::Require {
            when: f.phrases("when", &f.spec.when)?,
            require: f.phrases("require", &f.spec.require)?,
        })
    }

    fn phrase_lists(&self, rule: &Rule, add: &mut dyn FnMut(Profile, Role, &[String])) {
        if let Body::Require { when, require } = &rule.body {
            let p = phrase_profile(rule.evasion);
            add(p, Role::When, when);
            add(p, Role::Require, require);
        }
    }

    fn compile(&self, rule: &Rule) -> Result<Box<dyn Check>, Error> {
        let Body::Require { require, .. } = &rule.body else {
            return Err(wrong_body(rule));
        };
        Ok(Box::new(Require {
            require: require.clone(),
        }))
    }
}

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

#[cfg(test)]
mod tests {
    use crate::rules::test_support::{assert_flags, engine, findings};

    const DISCLOSURE: &str = r##"
id: disclosure
kind: require
when: ["Acme Bank", "#AcmeBank"]
require: ["#AcmeEmployee", "#ad"]
"##;

    #[test]
    fn flags_the_first_trigger_and_offers_to_append_a_tag() {
        let text = "Loving the new #AcmeBank app from Acme Bank";
        let fs = findings(&engine(DISCLOSURE), text);
        assert_eq!(fs.len(), 1);
        assert_eq!(
            (fs[0].rule.as_str(), fs[0].text.as_str()),
            ("disclosure", "#AcmeBank")
        );
        assert_eq!(
            fs[0].message,
            "Posts that mention “#AcmeBank” must also include #AcmeEmployee or #ad."
        );
        let fix = &fs[0].suggestions[0];
        assert_eq!(fix.span, text.len()..text.len());
        assert_eq!(fix.replacement, " #AcmeEmployee");
        assert_flags(DISCLOSURE, "Loving Acme Bank #ad", &[]);
        assert_flags(DISCLOSURE, "Loving Acme Bank #AcmeEmployee", &[]);
        assert_flags(DISCLOSURE, "Nothing about banks here", &[]);
    }

    #[test]
    fn triggers_and_tags_in_other_languages() {
        let rule = r##"
id: offenlegung
kind: require
when: ["Acme Bank", "アクメ銀行"]
require: ["#Werbung", "#広告"]
"##;
        assert_flags(rule, "Ich liebe die Acme Bank!", &["Acme Bank"]);
        assert_flags(rule, "Ich liebe die Acme Bank! #Werbung", &[]);
        assert_flags(rule, "アクメ銀行が大好き", &["アクメ銀行"]);
        assert_flags(rule, "アクメ銀行が大好き #広告", &[]);
    }
}
