//! US Social Security numbers.
//!
//! Two shapes are detected:
//!
//! * `AAA-GG-SSSS` or `AAA GG SSSS` (the same separator twice), anywhere;
//! * nine bare digits `AAAGGSSSS`, only when a keyword such as `SSN`, `social security`,
//!   `soc sec` or `SS#` (any case) ends within 30 bytes before the number, because nine
//!   digits alone are usually something else.
//!
//! The number must be a possible SSN: area not `000`, `666` or `900`–`999`, group not
//! `00`, serial not `0000`, and not one of the famous published numbers `078-05-1120`
//! and `219-09-9999`. It must not be part of a longer number or word: no letter, digit
//! or `_` touching it, and no `-`, `.`, `/`, `,` or `:` joining it to another digit (so
//! `1-123-45-6789` or `123-45-6789-0` is not an SSN). For the space-separated shape a
//! neighbouring space-separated digit group also disqualifies it.

use std::ops::Range;

use super::Detector;

/// Finds US Social Security numbers.
pub(crate) struct UsSsn;

/// Keywords that make nine bare digits an SSN: (lowercase keyword, must not be followed
/// by a letter other than a plural `s`).
const KEYWORDS: &[(&str, bool)] = &[
    ("ssn", true),
    ("social security", false),
    ("soc sec", false),
    ("soc. sec", false),
    ("ss#", false),
    ("ss #", false),
    ("ss no", true),
];

const KEYWORD_WINDOW: usize = 30;
const KEYWORD_FIRST: [bool; 256] = first_bytes(KEYWORDS);

/// Which bytes (either case) start a keyword, so most window positions cost one lookup.
const fn first_bytes(keywords: &[(&str, bool)]) -> [bool; 256] {
    let mut table = [false; 256];
    let mut i = 0;
    while i < keywords.len() {
        let b = keywords[i].0.as_bytes()[0];
        table[b.to_ascii_lowercase() as usize] = true;
        table[b.to_ascii_uppercase() as usize] = true;
        i += 1;
    }
    table
}

impl Detector for UsSsn {
    fn find(&self, text: &str, out: &mut Vec<Range<usize>>) {
        let bytes = text.as_bytes();
        let mut pos = 0;
        while let Some(start) = next_digit(bytes, pos) {
            let area_end = digit_run_end(bytes, start);
            pos = area_end;
            let found = match area_end - start {
                3 => separated(bytes, start),
                9 if keyword_before(bytes, start) => Some((area_end, None)),
                _ => None,
            };
            let Some((end, sep)) = found else {
                continue;
            };
            if !valid(bytes, start, end) {
                continue;
            }
            let glued_space = sep == Some(b' ')
                && (space_digit_before(bytes, start) || space_digit_after(bytes, end));
            if !glued_space && free_before(text, start) && free_after(text, end) {
                out.push(start..end);
                pos = end;
            }
        }
    }

    fn canonical(&self, matched: &str) -> String {
        matched.chars().filter(char::is_ascii_digit).collect()
    }

    fn message(&self) -> &'static str {
        "Possible US Social Security number: {match}. Never post SSNs."
    }
}

/// Reads `-GG-SSSS` or ` GG SSSS` after a three-digit area starting at `start`.
fn separated(bytes: &[u8], start: usize) -> Option<(usize, Option<u8>)> {
    let sep = *bytes.get(start + 3)?;
    if sep != b'-' && sep != b' ' {
        return None;
    }
    let group = start + 4;
    if digit_run_end(bytes, group) != group + 2 || *bytes.get(group + 2)? != sep {
        return None;
    }
    let serial = group + 3;
    let end = digit_run_end(bytes, serial);
    (end == serial + 4).then_some((end, Some(sep)))
}

/// Checks the area, group and serial of the SSN spanning `start..end`.
fn valid(bytes: &[u8], start: usize, end: usize) -> bool {
    let mut d = [0u8; 9];
    let mut n = 0;
    for &b in &bytes[start..end] {
        if b.is_ascii_digit() {
            if n == d.len() {
                return false;
            }
            d[n] = b;
            n += 1;
        }
    }
    if n != 9 {
        return false;
    }
    let (area, group, serial) = (&d[..3], &d[3..5], &d[5..]);
    area != b"000"
        && area != b"666"
        && area[0] != b'9'
        && group != b"00"
        && serial != b"0000"
        && &d != b"078051120"
        && &d != b"219099999"
}

/// Whether an SSN keyword ends within the window before `start`.
fn keyword_before(bytes: &[u8], start: usize) -> bool {
    let from = start.saturating_sub(KEYWORD_WINDOW + 16);
    let window = &bytes[from..start];
    (0..window.len()).any(|i| {
        if !KEYWORD_FIRST[usize::from(window[i])] {
            return false;
        }
        let first = window[i].to_ascii_lowercase();
        KEYWORDS.iter().any(|&(kw, right_bound)| {
            let kw = kw.as_bytes();
            let end = i + kw.len();
            first == kw[0]
                && end <= window.len()
                && window[i..end].eq_ignore_ascii_case(kw)
                && from + end + KEYWORD_WINDOW >= start
                && (i == 0 || !window[i - 1].is_ascii_alphabetic())
                && (!right_bound || right_free(window, end))
        })
    })
}

/// Nothing but an optional plural `s` glues a letter to the keyword ending at `end`.
fn right_free(window: &[u8], end: usize) -> bool {
    match window.get(end) {
        Some(b's' | b'S') => !window.get(end + 1).is_some_and(u8::is_ascii_alphabetic),
        Some(b) => !b.is_ascii_alphabetic(),
        None => true,
    }
}

fn space_digit_before(bytes: &[u8], start: usize) -> bool {
    start >= 2 && bytes[start - 1] == b' ' && bytes[start - 2].is_ascii_digit()
}

fn space_digit_after(bytes: &[u8], end: usize) -> bool {
    bytes.get(end) == Some(&b' ') && bytes.get(end + 1).is_some_and(u8::is_ascii_digit)
}

fn digit_run_end(bytes: &[u8], mut i: usize) -> usize {
    while i < bytes.len() && bytes[i].is_ascii_digit() {
        i += 1;
    }
    i
}

/// The position of the first ASCII digit at or after `from`. Scans 16 bytes at a time
/// with a SWAR test (no false negatives), then pinpoints the digit byte by byte.
fn next_digit(bytes: &[u8], from: usize) -> Option<usize> {
    const ZEROS: u64 = u64::from_ne_bytes([b'0'; 8]);
    const TENS: u64 = u64::from_ne_bytes([10; 8]);
    const HIGH: u64 = u64::from_ne_bytes([0x80; 8]);
    let rest = bytes.get(from..)?;
    let mut i = 0;
    for chunk in rest.chunks_exact(16) {
        let (mut a, mut b) = ([0u8; 8], [0u8; 8]);
        a.copy_from_slice(&chunk[..8]);
        b.copy_from_slice(&chunk[8..]);
        // A byte of `t` is below 10 exactly where the input byte is a digit.
        let (ta, tb) = (u64::from_ne_bytes(a) ^ ZEROS, u64::from_ne_bytes(b) ^ ZEROS);
        let below_ten = |t: u64| t.wrapping_sub(TENS) & !t & HIGH;
        if below_ten(ta) | below_ten(tb) != 0 {
            break;
        }
        i += 16;
    }
    rest[i..]
        .iter()
        .position(u8::is_ascii_digit)
        .map(|p| from + i + p)
}

fn is_word(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

fn is_joiner(c: char) -> bool {
    matches!(c, '-' | '.' | ',' | '/' | ':')
}

fn free_before(text: &str, i: usize) -> bool {
    let mut before = text.get(..i).unwrap_or("").chars().rev();
    match before.next() {
        None => true,
        Some(c) if is_word(c) => false,
        Some(c) if is_joiner(c) => !before.next().is_some_and(|p| p.is_ascii_digit()),
        Some(_) => true,
    }
}

fn free_after(text: &str, i: usize) -> bool {
    let mut after = text.get(i..).unwrap_or("").chars();
    match after.next() {
        None => true,
        Some(c) if is_word(c) => false,
        Some(c) if is_joiner(c) => !after.next().is_some_and(|n| n.is_ascii_digit()),
        Some(_) => true,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(text: &str) -> Vec<&str> {
        let mut out = Vec::new();
        UsSsn.find(text, &mut out);
        out.iter().map(|r| &text[r.clone()]).collect()
    }

    #[test]
    fn finds_ssns() {
        assert_eq!(matches("SSN 123-45-6789."), vec!["123-45-6789"]);
        assert_eq!(matches("mine is 123 45 6789 ok"), vec!["123 45 6789"]);
        assert_eq!(
            matches("Social Security number: 123456789"),
            vec!["123456789"]
        );
        assert_eq!(matches("ssn#123456789"), vec!["123456789"]);
        assert_eq!(
            matches("(234-56-7890) and (345-67-8901)"),
            vec!["234-56-7890", "345-67-8901"]
        );
    }

    #[test]
    fn rejects_traps() {
        let none: Vec<&str> = Vec::new();
        assert_eq!(matches("call 555-123-4567"), none);
        assert_eq!(matches("123456789"), none); // no keyword
        assert_eq!(matches("SSN is not 000-12-3456"), none);
        assert_eq!(matches("666-12-3456"), none);
        assert_eq!(matches("912-12-3456"), none);
        assert_eq!(matches("123-00-4567"), none);
        assert_eq!(matches("123-45-0000"), none);
        assert_eq!(matches("078-05-1120"), none);
        assert_eq!(matches("219-09-9999"), none);
        assert_eq!(matches("1-123-45-6789"), none);
        assert_eq!(matches("123-45-6789-0"), none);
        assert_eq!(matches("x123-45-6789"), none);
        assert_eq!(matches("123-45 6789"), none);
        assert_eq!(matches("tel 1 123 45 6789"), none);
        assert_eq!(
            matches("the SSN field is unrelated to the long id 123456789"),
            none
        );
        assert_eq!(matches("classn 123456789"), none);
    }

    #[test]
    fn canonical_keeps_digits() {
        assert_eq!(UsSsn.canonical("123 45-6789"), "123456789");
    }

    #[test]
    fn awkward_input_never_panics() {
        let long_digits = "1".repeat(10_000);
        let many = "123-45-".repeat(1_000);
        let inputs = [
            "",
            "ssn",
            "123-",
            "123-45-",
            "123-45-678",
            "🙂123-45-6789🙂",
            "é\u{301}123-45-6789\u{301}",
            "رقم الضمان 123-45-6789 شكرا",
            "SSN ✅✅✅✅✅123456789",
            long_digits.as_str(),
            many.as_str(),
            "--- ---   ",
        ];
        for text in inputs {
            let mut out = Vec::new();
            UsSsn.find(text, &mut out);
            let mut last = 0;
            for r in &out {
                assert!(r.start >= last && r.start < r.end && r.end <= text.len());
                assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
                last = r.end;
            }
        }
    }
}
