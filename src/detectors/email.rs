//! Email addresses.
//!
//! An address is `local@domain.tld` where
//!
//! * the local part is ASCII letters, digits and `._%+-`, contains a letter or digit,
//!   and does not start with a dot (leading dots are left out of the match),
//! * the domain is two or more dot-separated labels of ASCII letters, digits and `-`
//!   (a label neither starts nor ends with `-`), and the last label, the TLD, is two or
//!   more letters.
//!
//! Not reported: `@mentions` (no local part), Mastodon handles `@user@instance.social`
//! (the local part follows another `@`), `user@localhost` or `a@b` (no dot in the
//! domain). Trailing punctuation is not part of the match: in `mail bob@acme.com.` the
//! match is `bob@acme.com`. Internationalized (non-ASCII) addresses are not detected.

use std::ops::Range;

use super::scan::{domain_end, is_word, next_char};
use super::{Candidates, Detector};

/// Finds email addresses.
pub(crate) struct Email;

impl Detector for Email {
    fn find_with(&self, text: &str, c: &mut dyn Candidates, out: &mut Vec<Range<usize>>) {
        let bytes = text.as_bytes();
        // No match may start before `floor` (the end of the previous match).
        let mut floor = 0;
        let mut search = 0;
        while let Some(at) = c.next_sigil(bytes, b'@', search) {
            search = at + 1;
            let mut start = at;
            while start > floor && is_local(bytes[start - 1]) {
                start -= 1;
            }
            while start < at && bytes[start] == b'.' {
                start += 1;
            }
            let local = &bytes[start..at];
            if !local.iter().any(u8::is_ascii_alphanumeric) {
                continue;
            }
            if start > 0 && bytes[start - 1] == b'@' {
                continue; // `@user@instance.social` is a handle
            }
            let Some(end) = domain_end(bytes, at + 1, 63) else {
                continue;
            };
            if next_char(text, end).is_some_and(|c| is_word(c) || c == '@') {
                continue;
            }
            out.push(start..end);
            floor = end;
            search = end;
        }
    }

    fn canonical(&self, matched: &str) -> String {
        matched.to_lowercase()
    }

    fn message(&self) -> &'static str {
        "Email address: {match}. Do not post personal or customer email addresses."
    }
}

fn is_local(b: u8) -> bool {
    b.is_ascii_alphanumeric() || matches!(b, b'.' | b'_' | b'%' | b'+' | b'-')
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::scan::{assert_well_formed, matches};

    #[test]
    fn finds_addresses() {
        assert_eq!(
            matches(&Email, "mail me at bob@acme.com."),
            vec!["bob@acme.com"]
        );
        assert_eq!(
            matches(
                &Email,
                "<Jane.Doe+news@mail.Example.co.uk>, x_y%z-1@sub-domain.org!"
            ),
            vec!["Jane.Doe+news@mail.Example.co.uk", "x_y%z-1@sub-domain.org"]
        );
        assert_eq!(
            matches(&Email, "mailto:support@bank.example"),
            vec!["support@bank.example"]
        );
        assert_eq!(matches(&Email, "(a@b.io)"), vec!["a@b.io"]);
        assert_eq!(matches(&Email, "...dots@acme.com"), vec!["dots@acme.com"]);
        assert_eq!(matches(&Email, "bob@acme.com.123"), vec!["bob@acme.com"]);
    }

    #[test]
    fn rejects_traps() {
        let none: Vec<&str> = Vec::new();
        assert_eq!(matches(&Email, "thanks @bob and @alice_smith"), none);
        assert_eq!(matches(&Email, "follow @user@instance.social"), none);
        assert_eq!(matches(&Email, "user@localhost"), none);
        assert_eq!(matches(&Email, "a@b"), none);
        assert_eq!(matches(&Email, "bob@acme.c"), none);
        assert_eq!(matches(&Email, "bob@acme.123"), none);
        assert_eq!(matches(&Email, "bob@-acme.com"), none);
        assert_eq!(matches(&Email, "bob@acme-.com"), none);
        assert_eq!(matches(&Email, "meet @ 5pm at bob's"), none);
        assert_eq!(matches(&Email, "...@acme.com"), none);
        assert_eq!(matches(&Email, "bob@acme.com_x"), none);
    }

    #[test]
    fn canonical_is_lowercase() {
        assert_eq!(Email.canonical("Bob.Smith@ACME.com"), "bob.smith@acme.com");
    }

    #[test]
    fn awkward_input_never_panics() {
        let many_at = "@".repeat(10_000);
        let long_local = format!("{}@acme.com", "a".repeat(10_000));
        let long_domain = format!("bob@{}", "a.".repeat(5_000));
        let inputs = [
            "",
            "@",
            "bob@",
            "bob@acme.",
            "bob@acme.co",
            "😀bob@acme.com😀",
            "e\u{301}bob@acme.com\u{301}",
            "راسلني bob@acme.com شكرا",
            "🙂@🙂.com",
            "1".repeat(10_000).as_str(),
            many_at.as_str(),
            long_local.as_str(),
            long_domain.as_str(),
            ".... ---- ____",
        ]
        .map(String::from);
        assert_well_formed(&Email, &inputs.each_ref().map(String::as_str));
    }
}
