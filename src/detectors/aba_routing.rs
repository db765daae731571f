//! US bank routing numbers (ABA routing transit numbers).
//!
//! A candidate is exactly nine ASCII digits standing alone (no letter, digit or `_`
//! touching it, no `-`, `.`, `,`, `/` or `:` joining it to another digit). Because any
//! nine-digit number could pass the checks by chance, it is reported only when a keyword
//! (`routing`, `ABA`, `RTN`, `transit`, any case) ends within 40 bytes before it, and
//! only when
//!
//! * the first two digits are a Federal Reserve prefix: `00`–`12`, `21`–`32`, `61`–`72`
//!   or `80`,
//! * the ABA checksum holds: 3·(d1+d4+d7) + 7·(d2+d5+d8) + (d3+d6+d9) ≡ 0 (mod 10).

use std::ops::Range;

use super::scan::{Keywords, digit_run_end, free_after, free_before};
use super::{Candidates, Detector};

/// Finds ABA routing numbers introduced by a routing keyword.
pub(crate) struct AbaRouting;

/// Keywords (lowercase) and whether a letter may not follow them (short ones like `aba`
/// must be whole words, so `abacus` does not count), ending within 40 bytes.
static KEYWORDS: Keywords = Keywords::new(
    &[
        ("routing", false),
        ("aba", true),
        ("rtn", true),
        ("transit", false),
    ],
    40,
    8,
);

impl Detector for AbaRouting {
    fn find_with(&self, text: &str, c: &mut dyn Candidates, out: &mut Vec<Range<usize>>) {
        let bytes = text.as_bytes();
        let mut pos = 0;
        while let Some(start) = c.next_digit(bytes, pos) {
            let end = digit_run_end(bytes, start);
            pos = end;
            if end - start == 9
                && valid(&bytes[start..end])
                && free_before(text, start)
                && free_after(text, end)
                && keyword_before(bytes, start)
            {
                out.push(start..end);
            }
        }
    }

    fn canonical(&self, matched: &str) -> String {
        matched.chars().filter(char::is_ascii_digit).collect()
    }

    fn message(&self) -> &'static str {
        "Possible bank routing number: {match}. Do not post banking details."
    }
}

/// Prefix and checksum of nine ASCII digits.
fn valid(digits: &[u8]) -> bool {
    if digits.len() != 9 || !digits.iter().all(u8::is_ascii_digit) {
        return false;
    }
    let mut d = [0u32; 9];
    for (x, &b) in d.iter_mut().zip(digits) {
        *x = u32::from(b - b'0');
    }
    let prefix = d[0] * 10 + d[1];
    let known = matches!(prefix, 0..=12 | 21..=32 | 61..=72 | 80);
    let sum = 3 * (d[0] + d[3] + d[6]) + 7 * (d[1] + d[4] + d[7]) + (d[2] + d[5] + d[8]);
    known && sum.is_multiple_of(10) && d.iter().any(|&x| x != 0)
}

/// Whether a routing keyword ends within the window before `start`.
fn keyword_before(bytes: &[u8], start: usize) -> bool {
    KEYWORDS.ends_before(bytes, start, |window, end, whole_word| {
        (!whole_word || !window.get(end).is_some_and(u8::is_ascii_alphabetic)).then_some(end)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::scan::{assert_well_formed, matches};

    #[test]
    fn finds_routing_numbers() {
        assert_eq!(
            matches(&AbaRouting, "routing number 021000021"),
            vec!["021000021"]
        );
        assert_eq!(matches(&AbaRouting, "ABA: 011000015."), vec!["011000015"]);
        assert_eq!(matches(&AbaRouting, "RTN#322271627"), vec!["322271627"]);
        assert_eq!(
            matches(&AbaRouting, "Wire via transit no. 121000358, acct below"),
            vec!["121000358"]
        );
        assert_eq!(
            matches(&AbaRouting, "Routing numbers: 021000021 and 011000015"),
            vec!["021000021", "011000015"]
        );
    }

    #[test]
    fn rejects_traps() {
        let none: Vec<&str> = Vec::new();
        assert_eq!(matches(&AbaRouting, "routing 123456789"), none); // checksum
        assert_eq!(matches(&AbaRouting, "021000021"), none); // no keyword
        assert_eq!(matches(&AbaRouting, "routing 991000021"), none); // prefix 99
        assert_eq!(matches(&AbaRouting, "routing 000000000"), none);
        assert_eq!(matches(&AbaRouting, "routing 0210000210"), none); // ten digits
        assert_eq!(matches(&AbaRouting, "routing 021-000021"), none);
        assert_eq!(matches(&AbaRouting, "abacus 021000021"), none);
        assert_eq!(
            matches(
                &AbaRouting,
                "the routing table was updated a long long time ago; ticket 021000021"
            ),
            none
        );
    }

    #[test]
    fn canonical_keeps_digits() {
        assert_eq!(AbaRouting.canonical("021000021"), "021000021");
    }

    #[test]
    fn awkward_input_never_panics() {
        let long_digits = "0".repeat(10_000);
        let many = "routing 021000021 ".repeat(500);
        let inputs = [
            "",
            "routing",
            "routing 02100002",
            "ルーティング routing 021000021 🏦",
            "é\u{301} aba 021000021\u{301}",
            "رقم التوجيه routing 021000021",
            long_digits.as_str(),
            many.as_str(),
            "- - / / ::",
        ];
        assert_well_formed(&AbaRouting, &inputs);
    }
}
