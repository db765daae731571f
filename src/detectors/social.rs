//! Social tokens: `@mentions`, `#hashtags` and `$cashtags`.
//!
//! * [`Mention`]: `@handle`, the handle being ASCII letters, digits and `_` with at least
//!   one letter, optionally followed by a Mastodon-style instance
//!   (`@user@instance.social`, the instance being a dotted domain with a letter TLD).
//!   Not a mention: the `@` of an email address (`bob@acme.com`, the `@` follows a
//!   letter, digit, `_` or email punctuation), an `@` in a URL (after `/`, or anywhere in
//!   a token containing `://` or starting with `www.`), times
//!   such as `@10am`, or a handle glued to a following letter.
//! * [`Hashtag`]: `#tag`, the tag being Unicode letters, digits, `_` and combining marks,
//!   with at least one letter (`#1` or `#2024` is not a hashtag). Not a hashtag when the
//!   `#` follows a letter, digit or `_` (`C#`, `page#section`), `&` (`&#39;`) or `/`
//!   (`example.com/#top`), or is anywhere in a URL (`https://x.com/?q=#top`).
//! * [`Cashtag`]: `$TICKER`, 1–6 uppercase ASCII letters, optionally with a one- or
//!   two-letter class suffix (`$BRK.B`). Not a cashtag: money (`$100`, `$5M`), lowercase
//!   or mixed case (`$aapl`), more than six letters, or a `$` after a letter, digit or
//!   `_` (`US$`).
//!
//! The canonical form keeps the sigil and is lowercase (`@Bob` → `@bob`).

use std::ops::Range;

use super::scan::{ascii_run_end, domain_end, is_word, next_char, prev_char};
use super::{Candidates, Detector};

/// Finds `@mentions`, including Mastodon `@user@instance` handles.
pub(crate) struct Mention;

/// Finds `#hashtags`.
pub(crate) struct Hashtag;

/// Finds `$CASHTAGS` (stock tickers).
pub(crate) struct Cashtag;

impl Detector for Mention {
    fn find_with(&self, text: &str, c: &mut dyn Candidates, out: &mut Vec<Range<usize>>) {
        let bytes = text.as_bytes();
        let mut search = 0;
        while let Some(at) = c.next_sigil(bytes, b'@', search) {
            search = at + 1;
            let before = prev_char(text, at);
            if before
                .is_some_and(|c| is_word(c) || matches!(c, '.' | '%' | '+' | '-' | '/' | '@' | '&'))
            {
                continue;
            }
            if in_url(bytes, at) {
                continue;
            }
            let handle_end =
                ascii_run_end(bytes, at + 1, |b| b.is_ascii_alphanumeric() || b == b'_');
            let handle = &bytes[at + 1..handle_end];
            if !handle.iter().any(u8::is_ascii_alphabetic) || is_time(handle) {
                continue;
            }
            let mut end = handle_end;
            if bytes.get(end) == Some(&b'@') {
                match domain_end(bytes, end + 1, usize::MAX) {
                    Some(d) => end = d,
                    None => continue,
                }
            }
            if next_char(text, end).is_some_and(|c| is_word(c) || c == '@') {
                continue;
            }
            out.push(at..end);
            search = end;
        }
    }

    fn canonical(&self, matched: &str) -> String {
        matched.to_lowercase()
    }

    fn message(&self) -> &'static str {
        "Mention of another account: {match}. Check that you may tag them from a work account."
    }
}

impl Detector for Hashtag {
    fn find_with(&self, text: &str, c: &mut dyn Candidates, out: &mut Vec<Range<usize>>) {
        let mut search = 0;
        while let Some(hash) = c.next_sigil(text.as_bytes(), b'#', search) {
            search = hash + 1;
            if prev_char(text, hash).is_some_and(|c| is_word(c) || matches!(c, '&' | '/'))
                || in_url(text.as_bytes(), hash)
            {
                continue;
            }
            let rest = text.get(hash + 1..).unwrap_or("");
            let mut end = hash + 1;
            let mut has_letter = false;
            for (i, c) in rest.char_indices() {
                let ok = if i == 0 {
                    is_word(c)
                } else {
                    is_word(c) || is_mark(c)
                };
                if !ok {
                    break;
                }
                has_letter |= c.is_alphabetic();
                end = hash + 1 + i + c.len_utf8();
            }
            if has_letter {
                out.push(hash..end);
                search = end;
            }
        }
    }

    fn canonical(&self, matched: &str) -> String {
        matched.to_lowercase()
    }

    fn message(&self) -> &'static str {
        "Hashtag {match}. Check that it is approved for work posts."
    }
}

impl Detector for Cashtag {
    fn find_with(&self, text: &str, c: &mut dyn Candidates, out: &mut Vec<Range<usize>>) {
        let bytes = text.as_bytes();
        let mut search = 0;
        while let Some(dollar) = c.next_sigil(bytes, b'$', search) {
            search = dollar + 1;
            if prev_char(text, dollar).is_some_and(|c| is_word(c) || c == '$') {
                continue;
            }
            let letters_end = ascii_run_end(bytes, dollar + 1, |b| b.is_ascii_uppercase());
            if !(1..=6).contains(&(letters_end - dollar - 1)) {
                continue;
            }
            let mut end = letters_end;
            // Share-class suffix: `.B`, `.PR`.
            if bytes.get(end) == Some(&b'.') {
                let suffix_end = ascii_run_end(bytes, end + 1, |b| b.is_ascii_uppercase());
                if (1..=2).contains(&(suffix_end - end - 1))
                    && !next_char(text, suffix_end).is_some_and(is_word)
                {
                    end = suffix_end;
                }
            }
            if next_char(text, end).is_some_and(is_word) {
                continue;
            }
            out.push(dollar..end);
            search = end;
        }
    }

    fn canonical(&self, matched: &str) -> String {
        matched.to_lowercase()
    }

    fn message(&self) -> &'static str {
        "Stock ticker {match}. Posts about securities may need compliance review."
    }
}

/// Combining marks and signs that continue a word in many scripts but are not
/// `alphanumeric` (accents, Indic viramas and vowel signs, Hebrew and Arabic points,
/// Thai and Lao tone marks).
fn is_mark(c: char) -> bool {
    matches!(c,
        '\u{0300}'..='\u{036F}'
        | '\u{0483}'..='\u{0489}'
        | '\u{0591}'..='\u{05BD}'
        | '\u{05BF}'
        | '\u{05C1}'..='\u{05C2}'
        | '\u{05C4}'..='\u{05C5}'
        | '\u{05C7}'
        | '\u{0610}'..='\u{061A}'
        | '\u{064B}'..='\u{065F}'
        | '\u{0670}'
        | '\u{06D6}'..='\u{06DC}'
        | '\u{06DF}'..='\u{06E4}'
        | '\u{06E7}'..='\u{06E8}'
        | '\u{06EA}'..='\u{06ED}'
        | '\u{0900}'..='\u{0963}'
        | '\u{0966}'..='\u{0DFF}'
        | '\u{0E31}'
        | '\u{0E34}'..='\u{0E3A}'
        | '\u{0E47}'..='\u{0E4E}'
        | '\u{0EB1}'
        | '\u{0EB4}'..='\u{0EBC}'
        | '\u{0EC8}'..='\u{0ECE}'
        | '\u{1AB0}'..='\u{1AFF}'
        | '\u{1DC0}'..='\u{1DFF}'
        | '\u{20D0}'..='\u{20FF}'
        | '\u{FE20}'..='\u{FE2F}'
    )
}

/// Whether position `i` is inside a URL: the text since the last whitespace (at most
/// 256 bytes back) contains `://` or starts with `www.`.
fn in_url(bytes: &[u8], i: usize) -> bool {
    let lo = i.saturating_sub(256);
    let window = &bytes[lo..i];
    let token = match window.iter().rposition(u8::is_ascii_whitespace) {
        Some(p) => &window[p + 1..],
        None => window,
    };
    token.windows(3).any(|w| w == b"://") || token.starts_with(b"www.")
}

/// `@10am`, `@5pm`: a time, not a handle.
fn is_time(handle: &[u8]) -> bool {
    let digits = handle.iter().take_while(|b| b.is_ascii_digit()).count();
    (1..=2).contains(&digits)
        && (handle[digits..].eq_ignore_ascii_case(b"am")
            || handle[digits..].eq_ignore_ascii_case(b"pm"))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::scan::{assert_well_formed, matches};

    #[test]
    fn finds_mentions() {
        assert_eq!(
            matches(&Mention, "Thanks @bob_smith and @Alice2!"),
            vec!["@bob_smith", "@Alice2"]
        );
        assert_eq!(
            matches(&Mention, "follow @user@instance.social."),
            vec!["@user@instance.social"]
        );
        assert_eq!(matches(&Mention, "(@acme)"), vec!["@acme"]);
        assert_eq!(matches(&Mention, "@bob's post"), vec!["@bob"]);
    }

    #[test]
    fn rejects_mention_traps() {
        let none: Vec<&str> = Vec::new();
        assert_eq!(matches(&Mention, "mail bob@acme.com"), none);
        assert_eq!(matches(&Mention, "see medium.com/@writer"), none);
        assert_eq!(matches(&Mention, "https://example.com/?ref=@bob"), none);
        assert_eq!(matches(&Mention, "meet @10am or @ 5pm @123"), none);
        assert_eq!(matches(&Mention, "@bobé"), none);
        assert_eq!(matches(&Mention, "@bob@localhost"), none);
        assert_eq!(matches(&Mention, "x.@bob"), none);
    }

    #[test]
    fn finds_hashtags() {
        assert_eq!(
            matches(&Hashtag, "#Banking is fun #2024goals, #café #naïve_tag."),
            vec!["#Banking", "#2024goals", "#café", "#naïve_tag"]
        );
        assert_eq!(matches(&Hashtag, "#नमस्ते दुनिया"), vec!["#नमस्ते"]);
        assert_eq!(matches(&Hashtag, "(#أمن)"), vec!["#أمن"]);
    }

    #[test]
    fn rejects_hashtag_traps() {
        let none: Vec<&str> = Vec::new();
        assert_eq!(matches(&Hashtag, "we are #1 in #2024"), none);
        assert_eq!(matches(&Hashtag, "see example.com/page#section"), none);
        assert_eq!(matches(&Hashtag, "example.com/#top and C# or &#39;"), none);
        assert_eq!(
            matches(&Hashtag, "https://x.com/search?q=#top www.x.com?a=#b"),
            none
        );
        assert_eq!(matches(&Hashtag, "# Heading and #_ and ##"), none);
    }

    #[test]
    fn finds_cashtags() {
        assert_eq!(
            matches(&Cashtag, "Buy $AAPL, $BRK.B and $TSLA."),
            vec!["$AAPL", "$BRK.B", "$TSLA"]
        );
        assert_eq!(matches(&Cashtag, "($F)"), vec!["$F"]);
        assert_eq!(matches(&Cashtag, "$GOOG's"), vec!["$GOOG"]);
    }

    #[test]
    fn rejects_cashtag_traps() {
        let none: Vec<&str> = Vec::new();
        assert_eq!(matches(&Cashtag, "$100 and $5M and $1.5B"), none);
        assert_eq!(matches(&Cashtag, "$aapl $Aapl $ABCDEFG US$ $ AAPL"), none);
        assert_eq!(matches(&Cashtag, "$AAPL1 x$AAPL"), none);
    }

    #[test]
    fn canonical_keeps_sigil_lowercase() {
        assert_eq!(Mention.canonical("@Bob_Smith"), "@bob_smith");
        assert_eq!(Hashtag.canonical("#Banking"), "#banking");
        assert_eq!(Cashtag.canonical("$BRK.B"), "$brk.b");
    }

    #[test]
    fn awkward_input_never_panics() {
        let many = "@#$".repeat(3_000);
        let digits = "#".to_string() + &"1".repeat(10_000);
        let marks = "#\u{301}\u{301}\u{301}a\u{301}";
        let inputs = [
            "",
            "@",
            "#",
            "$",
            "@bob@",
            "@bob@acme.",
            "$BRK.",
            "😀@bob😀#tag😀$AAPL😀",
            "e\u{301}@bob #e\u{301}t\u{301} $AAPL\u{301}",
            "مرحبا @user #وسم $AAPL",
            many.as_str(),
            digits.as_str(),
            marks,
            "@@@@ #### $$$$",
        ];
        for detector in [&Mention as &dyn Detector, &Hashtag, &Cashtag] {
            assert_well_formed(detector, &inputs);
        }
    }
}
