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

use super::scan::{Keywords, digit_run_end, free_after, free_before};
use super::{Candidates, Detector};

/// Finds US Social Security numbers.
pub(crate) struct UsSsn;

/// Keywords that make nine bare digits an SSN: (lowercase keyword, must not be followed
/// by a letter other than a plural `s`), ending within 30 bytes.
static KEYWORDS: Keywords = Keywords::new(
    &[
        ("ssn", true),
        ("social security", false),
        ("soc sec", false),
        ("soc. sec", false),
        ("ss#", false),
        ("ss #", false),
        ("ss no", true),
    ],
    30,
    16,
);

impl Detector for UsSsn {
    fn find_with(&self, text: &str, c: &mut dyn Candidates, out: &mut Vec<Range<usize>>) {
        let bytes = text.as_bytes();
        let mut pos = 0;
        while let Some(start) = c.next_digit(bytes, pos) {
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
    KEYWORDS.ends_before(bytes, start, |window, end, right_bound| {
        (!right_bound || right_free(window, end)).then_some(end)
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::scan::{assert_well_formed, matches};

    #[test]
    fn finds_ssns() {
        assert_eq!(matches(&UsSsn, "SSN 123-45-6789."), vec!["123-45-6789"]);
        assert_eq!(
            matches(&UsSsn, "mine is 123 45 6789 ok"),
            vec!["123 45 6789"]
        );
        assert_eq!(
            matches(&UsSsn, "Social Security number: 123456789"),
            vec!["123456789"]
        );
        assert_eq!(matches(&UsSsn, "ssn#123456789"), vec!["123456789"]);
        assert_eq!(
            matches(&UsSsn, "(234-56-7890) and (345-67-8901)"),
            vec!["234-56-7890", "345-67-8901"]
        );
    }

    #[test]
    fn rejects_traps() {
        let none: Vec<&str> = Vec::new();
        assert_eq!(matches(&UsSsn, "call 555-123-4567"), none);
        assert_eq!(matches(&UsSsn, "123456789"), none); // no keyword
        assert_eq!(matches(&UsSsn, "SSN is not 000-12-3456"), none);
        assert_eq!(matches(&UsSsn, "666-12-3456"), none);
        assert_eq!(matches(&UsSsn, "912-12-3456"), none);
        assert_eq!(matches(&UsSsn, "123-00-4567"), none);
        assert_eq!(matches(&UsSsn, "123-45-0000"), none);
        assert_eq!(matches(&UsSsn, "078-05-1120"), none);
        assert_eq!(matches(&UsSsn, "219-09-9999"), none);
        assert_eq!(matches(&UsSsn, "1-123-45-6789"), none);
        assert_eq!(matches(&UsSsn, "123-45-6789-0"), none);
        assert_eq!(matches(&UsSsn, "x123-45-6789"), none);
        assert_eq!(matches(&UsSsn, "123-45 6789"), none);
        assert_eq!(matches(&UsSsn, "tel 1 123 45 6789"), none);
        assert_eq!(
            matches(
                &UsSsn,
                "the SSN field is unrelated to the long id 123456789"
            ),
            none
        );
        assert_eq!(matches(&UsSsn, "classn 123456789"), none);
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
        assert_well_formed(&UsSsn, &inputs);
    }
}
