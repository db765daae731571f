//! Credentials: API keys, tokens, private keys and passwords.
//!
//! Two kinds of evidence are used.
//!
//! **Well-known formats**, found anywhere (one regex with literal prefixes, so a draft
//! without them costs one fast prefilter scan):
//!
//! * AWS access key ids: `AKIA` or `ASIA` + 16 uppercase letters or digits;
//! * GitHub tokens: `ghp_`, `gho_`, `ghu_`, `ghs_`, `ghr_` + 36 or more letters or digits,
//!   and fine-grained `github_pat_` + 22 or more letters, digits or `_`;
//! * Slack tokens: `xoxb-`, `xoxp-`, `xoxa-`, `xoxr-`, `xoxs-` + 10 or more letters,
//!   digits or `-`;
//! * Stripe keys: `sk_live_`, `rk_live_`, `sk_test_`, `rk_test_` + 16 or more letters or
//!   digits;
//! * OpenAI / Anthropic style keys: `sk-proj-`, `sk-ant-`, `sk-svcacct-`, `sk-admin-` + 20
//!   or more letters, digits, `_` or `-`;
//! * Google API keys: `AIza` + 35 letters, digits, `_` or `-`;
//! * JSON Web Tokens: `eyJ...` `.` `eyJ...` `.` signature (base64url);
//! * private-key blocks: `-----BEGIN ... PRIVATE KEY-----` through the matching `END`
//!   line, or to the end of the text when it is cut off.
//!
//! A format match must not be glued to a preceding letter, digit or `_` (nor, for the
//! fixed-length AWS and Google keys, to a following key character).
//!
//! **A value right after a secret word.** A word ending in `password`, `passwd`, `pwd`,
//! `passphrase`, `passcode`, `token`, `secret`, `key` or `bearer` (as a whole word, after
//! `_`/`-` as in `API_KEY`, or in `apikey`, `secretkey`, `accesskey`, `authtoken`, ...;
//! a plural `s` is allowed), followed within 20 bytes by optional quotes, `:`, `=`, `is`
//! or `was`, and then a value (`password: x`, `API_KEY=x`, `"token": "x"`,
//! `my api key is x`, `Bearer x`). The value is reported when
//!
//! * it is 16 or more characters of `[A-Za-z0-9+/=_-]`, contains letters and digits,
//!   has a Shannon entropy of at least 3.5 bits per character, and is not made of
//!   ordinary words (`2024-annual-report-final`), or
//! * the word is a password word and the value is 8–128 characters with letters, digits
//!   and a symbol (letters and digits suffice after `:` or `=`).
//!
//! Values without a digit, URLs (`://`, `www.`) and ordinary words are never reported,
//! so `my password is strong` is not a finding. The match is the value only, without the
//! keyword or quotes.

use std::ops::Range;
use std::sync::LazyLock;

use regex::Regex;

use super::{Candidates, Detector};
#[cfg(test)]
use crate::normalize::swar;

/// Finds credentials: known token formats and high-entropy values after secret words.
pub(crate) struct Secret;

static FORMATS: LazyLock<Regex> = LazyLock::new(|| {
    let alternatives = [
        r"(?:AKIA|ASIA)[0-9A-Z]{16}",
        r"gh[pousr]_[A-Za-z0-9]{36,}",
        r"github_pat_[A-Za-z0-9_]{22,}",
        r"xox[bpars]-[A-Za-z0-9-]{10,}",
        r"[sr]k_(?:live|test)_[A-Za-z0-9]{16,}",
        r"sk-(?:proj|ant|svcacct|admin)-[A-Za-z0-9_-]{20,}",
        r"AIza[0-9A-Za-z_-]{35}",
        r"eyJ[A-Za-z0-9_-]{4,}\.eyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*",
        r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----",
    ];
    Regex::new(&alternatives.join("|")).expect("secret format regex is valid")
});

/// Words that introduce a password (lowercase).
const PASSWORD_WORDS: &[&str] = &["password", "passwd", "pwd", "passphrase", "passcode"];

/// Other words that introduce a secret value (lowercase).
const SECRET_WORDS: &[&str] = &["token", "secret", "key", "bearer"];

/// Compound spellings accepted as a whole word.
const COMPOUND_WORDS: &[&str] = &[
    "apikey",
    "secretkey",
    "accesskey",
    "privatekey",
    "authkey",
    "authtoken",
    "accesstoken",
    "clientsecret",
    "dbpassword",
];

const KEYWORD_DISTANCE: usize = 20;

#[derive(Clone, Copy, PartialEq)]
enum Word {
    Password,
    Other,
}

impl Detector for Secret {
    fn find_with(&self, text: &str, c: &mut dyn Candidates, out: &mut Vec<Range<usize>>) {
        let mut formats = Vec::new();
        find_formats(text, c, &mut formats);
        let mut values = Vec::new();
        find_keyword_values(text, c, &mut values);
        // Merge the two ordered lists, dropping anything that overlaps a kept range.
        let (mut a, mut b) = (
            formats.into_iter().peekable(),
            values.into_iter().peekable(),
        );
        let mut last_end = 0;
        loop {
            let next = match (a.peek(), b.peek()) {
                (Some(x), Some(y)) if x.start <= y.start => a.next(),
                (Some(_), Some(_)) => b.next(),
                (Some(_), None) => a.next(),
                (None, Some(_)) => b.next(),
                (None, None) => break,
            };
            if let Some(r) = next
                && r.start >= last_end
            {
                last_end = r.end;
                out.push(r);
            }
        }
    }

    fn canonical(&self, matched: &str) -> String {
        matched.trim().to_string()
    }

    fn message(&self) -> &'static str {
        "Possible password, API key or other secret. Never post credentials; if it was real, have it revoked."
    }
}

/// Whether byte `i` is the first thing a [`FORMATS`] match contains: the `_` of
/// `gh[pousr]_`, `github_`, `sk_`/`rk_` (GitHub, Stripe), `xox` + letter + `-` (Slack),
/// `sk-` (OpenAI style), `-----` (key blocks), `AKIA`, `ASIA`, `AIza` or `eyJ`. Most
/// drafts hold none (an `_` in `@jane_doe` is not one), so their checks never compile the
/// formats regex (which in the browser is several milliseconds of the first check after
/// a worker start) nor scan with it; the others are scanned from a few bytes before the
/// first one ([`super::Marks`] finds it).
pub(super) fn is_format_trigger(bytes: &[u8], i: usize) -> bool {
    let before = |s: &[u8]| i >= s.len() && &bytes[i - s.len()..i] == s;
    match bytes.get(i) {
        Some(b'_') => {
            before(b"sk")
                || before(b"rk")
                || before(b"github")
                || (i >= 3 && &bytes[i - 3..i - 1] == b"gh" && b"pousr".contains(&bytes[i - 1]))
        }
        Some(b'-') => {
            before(b"sk")
                || (i >= 4 && &bytes[i - 4..i - 1] == b"xox")
                || bytes[i..].starts_with(b"-----")
        }
        Some(b'A') => matches!(bytes.get(i + 1..i + 4), Some(b"KIA" | b"SIA" | b"Iza")),
        Some(b'J') => before(b"ey"),
        _ => false,
    }
}

/// The first [`is_format_trigger`] byte, found eight bytes at a time with its own scan:
/// how the detector found it before [`super::Marks`], kept as the tests' reference.
#[cfg(test)]
pub(super) fn first_format_trigger(bytes: &[u8]) -> Option<usize> {
    let is_trigger = |i: usize| is_format_trigger(bytes, i);
    // Eight bytes at a time: only an `_`, `-`, `A` or `J` is looked at closely.
    let mut i = 0;
    while let Some(w) = bytes.get(i..i + 8).and_then(swar::load) {
        let mut m = swar::eq(w, b'_') | swar::eq(w, b'-') | swar::eq(w, b'A') | swar::eq(w, b'J');
        while m != 0 {
            let at = i + swar::first(m);
            m &= m - 1;
            if is_trigger(at) {
                return Some(at);
            }
        }
        i += 8;
    }
    (i..bytes.len()).find(|&j| is_trigger(j))
}

/// How far into a [`FORMATS`] match its first trigger can be (`github_pat_`: 6).
const TRIGGER_OFFSET: usize = 6;

/// Known token formats and private-key blocks.
fn find_formats(text: &str, c: &mut dyn Candidates, out: &mut Vec<Range<usize>>) {
    let bytes = text.as_bytes();
    let Some(first) = c.format_trigger(bytes) else {
        return;
    };
    // No match starts before its trigger's offset; a char boundary at or before that.
    let mut at = first.saturating_sub(TRIGGER_OFFSET);
    while !text.is_char_boundary(at) {
        at -= 1;
    }
    scan_formats(text, at, out);
}

/// [`FORMATS`] matches starting at or after `at` (a char boundary).
fn scan_formats(text: &str, mut at: usize, out: &mut Vec<Range<usize>>) {
    let bytes = text.as_bytes();
    while let Some(m) = FORMATS.find_at(text, at) {
        let (start, mut end) = (m.start(), m.end());
        let token = m.as_str();
        if let Some(label) = token.strip_prefix("-----BEGIN ") {
            // Through the matching END line, or to the end of the text.
            let end_line = format!("-----END {label}");
            end = text
                .get(end..)
                .and_then(|rest| rest.find(&end_line))
                .map_or(text.len(), |p| end + p + end_line.len());
            out.push(start..end);
            at = end;
            continue;
        }
        let glued_before = start > 0 && is_key_char(bytes[start - 1]);
        let glued_after = match bytes.get(end) {
            Some(&b) if token.starts_with("AKIA") || token.starts_with("ASIA") => {
                b.is_ascii_alphanumeric()
            }
            Some(&b) if token.starts_with("AIza") => is_key_char(b) || b == b'-',
            _ => false,
        };
        if token.starts_with("xox") {
            while end > start && bytes[end - 1] == b'-' {
                end -= 1;
            }
        }
        if token.starts_with("eyJ") && bytes[end - 1] == b'.' {
            end -= 1; // unsigned JWT, or the full stop of a sentence
        }
        if glued_before {
            // Any later match inside this one would be glued too (or not a real token):
            // resume after it, which keeps the scan linear.
            at = end.max(start + 1);
        } else if glued_after {
            at = start + 1; // AWS and Google keys have a fixed length
        } else {
            out.push(start..end);
            at = end;
        }
        if at > text.len() {
            break;
        }
    }
}

fn is_key_char(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b == b'_'
}

/// Values after secret words, found from the tokens that contain a digit.
fn find_keyword_values(text: &str, c: &mut dyn Candidates, out: &mut Vec<Range<usize>>) {
    let bytes = text.as_bytes();
    let mut pos = 0;
    while let Some(d) = c.next_digit(bytes, pos) {
        let mut start = d;
        while start > pos && bytes[start - 1].is_ascii_graphic() {
            start -= 1;
        }
        let mut end = d;
        while end < bytes.len() && bytes[end].is_ascii_graphic() {
            end += 1;
        }
        pos = end;
        if end - start < 8 {
            continue;
        }
        if let Some(r) = check_token(bytes, start, end) {
            out.push(r);
        }
    }
}

/// The secret value inside the token `start..end`, if a secret word introduces it.
fn check_token(bytes: &[u8], start: usize, end: usize) -> Option<Range<usize>> {
    let token = &bytes[start..end];
    // `name=value` or `"name":"value"` within the token.
    let inline = token
        .iter()
        .position(|&b| b == b'=' || b == b':')
        .and_then(|k| {
            let name = trim(&token[..k], b"\"'`", b"\"'`");
            keyword_class(name).map(|w| (w, true, start + k + 1))
        });
    let (word, assigned, value_start) = match inline {
        Some(found) => found,
        None => {
            let (word, assigned) = keyword_before(bytes, start)?;
            (word, assigned, start)
        }
    };
    let raw = &bytes[value_start..end];
    let value = trim(raw, b"\"'`([{<", b"\"'`)]}>.,;:");
    let lead = trim_start_len(raw, b"\"'`([{<");
    let vs = value_start + lead;
    let ve = vs + value.len();
    if value.len() < 8 || contains(value, b"://") || value.starts_with(b"www.") {
        return None;
    }
    let letters = value.iter().any(u8::is_ascii_alphabetic);
    let digits = value.iter().any(u8::is_ascii_digit);
    if !(letters && digits) {
        return None;
    }
    let high_entropy = value.len() >= 16
        && value
            .iter()
            .all(|&b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'/' | b'=' | b'_' | b'-'))
        && entropy(value) >= 3.5
        && !wordy(value);
    let symbol = value.iter().any(u8::is_ascii_punctuation);
    let password =
        word == Word::Password && value.len() <= 128 && (symbol || assigned) && !wordy(value);
    (high_entropy || password).then_some(vs..ve)
}

/// The secret word before `start` (within 20 bytes, allowing quotes, `:`, `=`, `is`,
/// `was`), and whether a `:` or `=` was seen.
fn keyword_before(bytes: &[u8], start: usize) -> Option<(Word, bool)> {
    let lo = start.saturating_sub(KEYWORD_DISTANCE + 24);
    let mut i = start;
    let mut assigned = false;
    for _ in 0..2 {
        while i > lo
            && matches!(
                bytes[i - 1],
                b' ' | b'\t' | b'"' | b'\'' | b'`' | b':' | b'='
            )
        {
            assigned |= matches!(bytes[i - 1], b':' | b'=');
            i -= 1;
        }
        let word_end = i;
        while i > lo
            && (bytes[i - 1].is_ascii_alphanumeric() || matches!(bytes[i - 1], b'_' | b'-'))
        {
            i -= 1;
        }
        let word = &bytes[i..word_end];
        if word.is_empty() || word_end + KEYWORD_DISTANCE < start {
            return None;
        }
        if word.eq_ignore_ascii_case(b"is") || word.eq_ignore_ascii_case(b"was") {
            continue;
        }
        return keyword_class(word).map(|w| (w, assigned));
    }
    None
}

/// Whether `word` is (or ends in, after `_` or `-`) a secret word.
fn keyword_class(word: &[u8]) -> Option<Word> {
    let word = match word {
        [rest @ .., b's' | b'S'] if rest.len() >= 3 => {
            if class_of(rest).is_some() {
                rest
            } else {
                word
            }
        }
        _ => word,
    };
    class_of(word)
}

fn class_of(word: &[u8]) -> Option<Word> {
    let ends_with = |kw: &str| {
        let kw = kw.as_bytes();
        word.len() >= kw.len()
            && word[word.len() - kw.len()..].eq_ignore_ascii_case(kw)
            && (word.len() == kw.len() || matches!(word[word.len() - kw.len() - 1], b'_' | b'-'))
    };
    if PASSWORD_WORDS.iter().any(|kw| ends_with(kw)) {
        return Some(Word::Password);
    }
    if COMPOUND_WORDS
        .iter()
        .any(|kw| word.eq_ignore_ascii_case(kw.as_bytes()))
    {
        let password = word.len() >= 8 && word[word.len() - 8..].eq_ignore_ascii_case(b"password");
        return Some(if password {
            Word::Password
        } else {
            Word::Other
        });
    }
    SECRET_WORDS
        .iter()
        .any(|kw| ends_with(kw))
        .then_some(Word::Other)
}

/// Shannon entropy in bits per byte.
fn entropy(value: &[u8]) -> f64 {
    let mut counts = [0u32; 256];
    for &b in value {
        counts[usize::from(b)] += 1;
    }
    let n = value.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / n;
            -p * p.log2()
        })
        .sum()
}

/// Whether the value reads as words and numbers rather than a random string: no
/// segment (split at `-_./+=`) mixes letters and digits, or at least half of it is
/// word-like segments (4+ letters, lowercase after the first).
fn wordy(value: &[u8]) -> bool {
    let mut mixed = false;
    let mut word_letters = 0;
    for seg in value.split(|b| matches!(b, b'-' | b'_' | b'.' | b'/' | b'+' | b'=')) {
        if seg.iter().any(u8::is_ascii_alphabetic) && seg.iter().any(u8::is_ascii_digit) {
            mixed = true;
        }
        if seg.len() >= 4
            && seg[0].is_ascii_alphabetic()
            && seg[1..].iter().all(u8::is_ascii_lowercase)
        {
            word_letters += seg.len();
        }
    }
    !mixed || word_letters * 2 >= value.len()
}

fn trim<'a>(s: &'a [u8], lead: &[u8], trail: &[u8]) -> &'a [u8] {
    let mut s = s;
    while let [first, rest @ ..] = s {
        if lead.contains(first) {
            s = rest;
        } else {
            break;
        }
    }
    while let [rest @ .., last] = s {
        if trail.contains(last) {
            s = rest;
        } else {
            break;
        }
    }
    s
}

fn trim_start_len(s: &[u8], lead: &[u8]) -> usize {
    s.iter().take_while(|b| lead.contains(b)).count()
}

fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    haystack.windows(needle.len()).any(|w| w == needle)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::scan::{assert_well_formed, matches};

    #[test]
    fn finds_known_formats() {
        assert_eq!(
            matches(&Secret, "aws AKIAIOSFODNN7EXAMPLE."),
            vec!["AKIAIOSFODNN7EXAMPLE"]
        );
        assert_eq!(
            matches(&Secret, "gh: ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789 ok"),
            vec!["ghp_aBcDeFgHiJkLmNoPqRsTuVwXyZ0123456789"]
        );
        assert_eq!(
            matches(&Secret, "github_pat_11ABCDEFG0123456789_abcdefghijklmnop"),
            vec!["github_pat_11ABCDEFG0123456789_abcdefghijklmnop"]
        );
        assert_eq!(
            matches(
                &Secret,
                "slack xoxb-123456789012-1234567890123-AbCdEfGhIjKl-"
            ),
            vec!["xoxb-123456789012-1234567890123-AbCdEfGhIjKl"]
        );
        assert_eq!(
            matches(&Secret, "stripe sk_live_4eC39HqLyjWDarjtT1zdp7dc"),
            vec!["sk_live_4eC39HqLyjWDarjtT1zdp7dc"]
        );
        assert_eq!(
            matches(&Secret, "maps AIzaSyD-1234567890abcdefghijklmnopqrstu"),
            vec!["AIzaSyD-1234567890abcdefghijklmnopqrstu"]
        );
        let jwt = "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJzdWIiOiIxMjM0NTY3ODkwIn0.SflKxwRJSMeKKF2QT4fwpMeJf36POk6yJV_adQssw5c";
        assert_eq!(matches(&Secret, &format!("Bearer {jwt}.")), vec![jwt]);
    }

    #[test]
    fn finds_private_key_blocks() {
        let block =
            "-----BEGIN RSA PRIVATE KEY-----\nMIIEowIBAAKCAQEA\n-----END RSA PRIVATE KEY-----";
        assert_eq!(
            matches(&Secret, &format!("key:\n{block}\nthanks")),
            vec![block]
        );
        let cut = "-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA";
        assert_eq!(matches(&Secret, &format!("oops {cut}")), vec![cut]);
    }

    #[test]
    fn finds_more_formats_and_assignments() {
        let pgp =
            "-----BEGIN PGP PRIVATE KEY BLOCK-----\nlQOYBF0\n-----END PGP PRIVATE KEY BLOCK-----";
        assert_eq!(matches(&Secret, &format!("{pgp} bye")), vec![pgp]);
        assert_eq!(
            matches(
                &Secret,
                "AWS_SECRET_ACCESS_KEY=wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"
            ),
            vec!["wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY"]
        );
        assert_eq!(matches(&Secret, "Password: P@ssw0rd"), vec!["P@ssw0rd"]);
        assert_eq!(
            matches(&Secret, "OPENAI sk-proj-abc123DEF456ghi789JKL012mno345"),
            vec!["sk-proj-abc123DEF456ghi789JKL012mno345"]
        );
        assert_eq!(
            matches(
                &Secret,
                "Authorization: Bearer abcdef0123456789abcdef0123456789"
            ),
            vec!["abcdef0123456789abcdef0123456789"]
        );
        assert_eq!(
            matches(
                &Secret,
                "tokens: q8Zr2LkP0wXy7VbN4mTe, ASIAY34FZKBOKMUTVV7A"
            ),
            vec!["q8Zr2LkP0wXy7VbN4mTe", "ASIAY34FZKBOKMUTVV7A"]
        );
    }

    #[test]
    fn finds_values_after_secret_words() {
        assert_eq!(
            matches(&Secret, "password: Tr0ub4dor&3xY9!kQ"),
            vec!["Tr0ub4dor&3xY9!kQ"]
        );
        assert_eq!(
            matches(&Secret, "my password is Summer2024!"),
            vec!["Summer2024!"]
        );
        assert_eq!(matches(&Secret, "pwd=hunter2024"), vec!["hunter2024"]);
        assert_eq!(
            matches(&Secret, "API_KEY=9f8e7d6c5b4a3f2e1d0c9b8a"),
            vec!["9f8e7d6c5b4a3f2e1d0c9b8a"]
        );
        assert_eq!(
            matches(&Secret, r#"{"client_secret": "q8Zr2LkP0wXy7VbN4mTe"}"#),
            vec!["q8Zr2LkP0wXy7VbN4mTe"]
        );
        assert_eq!(
            matches(&Secret, "token: 123e4567-e89b-12d3-a456-426614174000"),
            vec!["123e4567-e89b-12d3-a456-426614174000"]
        );
        assert_eq!(
            matches(&Secret, "the API key is a8F3kL9qZ2mX7wP4vB1n."),
            vec!["a8F3kL9qZ2mX7wP4vB1n"]
        );
    }

    #[test]
    fn rejects_traps() {
        let none: Vec<&str> = Vec::new();
        assert_eq!(matches(&Secret, "my password is strong"), none);
        assert_eq!(
            matches(&Secret, "The key takeaway for 2024 is growth"),
            none
        );
        assert_eq!(matches(&Secret, "key: 2024-annual-report-final"), none);
        assert_eq!(
            matches(&Secret, "token https://example.com/a1b2c3d4e5f6g7h8i9"),
            none
        );
        assert_eq!(matches(&Secret, "secret sauce v2.0.1 launched"), none);
        assert_eq!(matches(&Secret, "keynote a8F3kL9qZ2mX7wP4vB1n"), none);
        assert_eq!(matches(&Secret, "monkey: a8F3kL9qZ2mX7wP4vB1n"), none);
        assert_eq!(
            matches(&Secret, "a8F3kL9qZ2mX7wP4vB1n with no keyword"),
            none
        );
        assert_eq!(matches(&Secret, "AKIAIOSFODNN7EXAMPL"), none);
        assert_eq!(matches(&Secret, "xAKIAIOSFODNN7EXAMPLE"), none);
        assert_eq!(matches(&Secret, "AKIAIOSFODNN7EXAMPLEX"), none);
        assert_eq!(matches(&Secret, "password reset takes 10 minutes"), none);
        assert_eq!(matches(&Secret, "password: 12345678"), none);
        assert_eq!(
            matches(
                &Secret,
                "the key is far away from this value a8F3kL9qZ2mX7wP4vB1n"
            ),
            none
        );
        assert_eq!(matches(&Secret, "token 550e8400"), none);
    }

    #[test]
    fn canonical_trims() {
        assert_eq!(
            Secret.canonical(" AKIAIOSFODNN7EXAMPLE "),
            "AKIAIOSFODNN7EXAMPLE"
        );
    }

    #[test]
    fn awkward_input_never_panics() {
        let long_digits = format!("password: {}", "9".repeat(10_000));
        let begins = "-----BEGIN PRIVATE KEY-----".repeat(500);
        let jwt_like = "eyJ.".repeat(2_000);
        let glued_jwts = format!("a{}.eyJabcd.sig", "eyJ".repeat(3_000));
        let inputs = [
            "",
            "password:",
            "password: ",
            "AKIA",
            "ghp_",
            "-----BEGIN RSA PRIVATE KEY-----",
            "🔑 password: Tr0ub4dor&3xY9!kQ 🔑",
            "e\u{301}AKIAIOSFODNN7EXAMPLE\u{301}",
            "كلمة المرور password: Tr0ub4dor&3xY9!kQ",
            "key: é1é2é3é4é5é6é7é8é9",
            long_digits.as_str(),
            begins.as_str(),
            jwt_like.as_str(),
            glued_jwts.as_str(),
            "::::==== ''''",
        ];
        assert_well_formed(&Secret, &inputs);
    }

    #[test]
    fn the_format_prefilter_passes_every_format_and_skips_plain_prose() {
        for token in [
            "AKIAIOSFODNN7EXAMPLE",
            "ASIAIOSFODNN7EXAMPLE",
            "ghp_0123456789abcdefghijABCDEFGHIJ0123456789",
            "github_pat_11ABCDEFG0123456789abcdef",
            "xoxb-1234567890-abcdef",
            "sk_live_0123456789abcdefXYZ",
            "sk-proj-0123456789abcdefghijKLMNOP",
            "AIzaSyA1234567890abcdefghijklmnopqrstuv",
            "eyJhbGciOi.eyJzdWIiOi.sig",
            "-----BEGIN OPENSSH PRIVATE KEY-----",
        ] {
            let mut found = Vec::new();
            let text = format!("see {token} here");
            find_formats(
                &text,
                &mut crate::detectors::Marks::new(&text).cursor(),
                &mut found,
            );
            assert_eq!(found.len(), 1, "{token}");
        }
        for prose in [
            "A well-known launch: Ask about our new plan, e-mail us, and jump in!",
            "Jeudi, ESTA, AI-driven, sk8ers, x-ray, --- a dash ---",
            "Congratulations to @jane_doe and snake_case_names, ghost_writer, risky_bet",
        ] {
            assert_eq!(first_format_trigger(prose.as_bytes()), None, "{prose}");
        }
    }

    /// [`first_format_trigger`] a byte at a time, for the eight-bytes path.
    fn one_by_one(bytes: &[u8]) -> Option<usize> {
        let before = |i: usize, s: &[u8]| i >= s.len() && &bytes[i - s.len()..i] == s;
        (0..bytes.len()).find(|&i| match bytes[i] {
            b'_' => {
                ["sk", "rk", "github"]
                    .iter()
                    .any(|p| before(i, p.as_bytes()))
                    || ["ghp", "gho", "ghu", "ghs", "ghr"]
                        .iter()
                        .any(|p| before(i, p.as_bytes()))
            }
            b'-' => {
                before(i, b"sk")
                    || (i >= 4 && &bytes[i - 4..i - 1] == b"xox")
                    || bytes[i..].starts_with(b"-----")
            }
            b'A' => ["KIA", "SIA", "Iza"]
                .iter()
                .any(|p| bytes[i + 1..].starts_with(p.as_bytes())),
            b'J' => before(i, b"ey"),
            _ => false,
        })
    }

    /// The prefilter and the start a few bytes before its first trigger never lose a
    /// match: on random texts of token pieces, what is found equals a scan of the whole
    /// text with the formats regex.
    #[test]
    fn format_prefilter_finds_what_a_whole_scan_finds() {
        let pieces = [
            "AKIA",
            "ASIA",
            "AIza",
            "IOSFODNN7EXAMPLE",
            "gh",
            "p",
            "o",
            "u",
            "s",
            "r",
            "_",
            "github",
            "_pat_",
            "xox",
            "b",
            "-",
            "k",
            "sk",
            "rk",
            "_live_",
            "_test_",
            "proj",
            "ant",
            "ey",
            "J",
            "eyJ",
            ".",
            "-----",
            "BEGIN ",
            "RSA ",
            "PRIVATE KEY",
            "-----",
            "0123456789abcdefghij",
            "ABCDEFGHIJKLMNOP",
            " ",
            "é",
            "@jane_doe",
            "x",
            "AKIAIOSFODNN7EXAMPLE",
            "ghp_0123456789abcdefghijABCDEFGHIJ0123456789",
            "sk_live_0123456789abcdefXYZ",
            "eyJhbGciOi.eyJzdWIiOi.sig",
        ];
        let mut rng = crate::xorshift::Xorshift::new(0x2545_F491_4F6C_DD1D);
        let mut hits = 0;
        for _ in 0..20_000 {
            let text = rng.text(24, &[&pieces]);
            assert_eq!(
                first_format_trigger(text.as_bytes()),
                one_by_one(text.as_bytes()),
                "{text:?}"
            );
            let (mut fast, mut scanned, mut whole) = (Vec::new(), Vec::new(), Vec::new());
            let marks = crate::detectors::Marks::new(&text);
            find_formats(&text, &mut marks.cursor(), &mut fast);
            find_formats(&text, &mut crate::detectors::marks::Scanning, &mut scanned);
            scan_formats(&text, 0, &mut whole);
            assert_eq!(fast, whole, "{text:?}");
            assert_eq!(scanned, whole, "{text:?}");
            hits += usize::from(!whole.is_empty());
        }
        assert!(hits > 2000, "{hits}");
    }
}
