//! International Bank Account Numbers (IBAN).
//!
//! A candidate is a two-letter country code, two check digits and the BBAN (letters and
//! digits), written either unbroken (`DE89370400440532013000`) or in groups of four
//! separated by single spaces (`GB82 WEST 1234 5698 7654 32`). Letters may be in either
//! case. It is reported only when
//!
//! * the country is in the IBAN registry table below and the candidate has exactly that
//!   country's length (`DE` 22, `GB` 22, `FR` 27, `NL` 18, ...),
//! * the ISO 13616 check passes: the number, rearranged and read as digits, is 1 mod 97,
//! * it stands alone: no letter, digit or `_` right before the country code or right
//!   after the last character.

use std::ops::Range;

use super::scan::{digit_run_end, is_word, next_char, prev_char};
use super::{Candidates, Detector};

/// Finds IBANs with a valid country length and mod-97 check.
pub(crate) struct Iban;

/// IBAN lengths per country, from the SWIFT IBAN registry.
const LENGTHS: &[(&[u8; 2], usize)] = &[
    (b"AD", 24),
    (b"AE", 23),
    (b"AL", 28),
    (b"AT", 20),
    (b"AZ", 28),
    (b"BA", 20),
    (b"BE", 16),
    (b"BG", 22),
    (b"BH", 22),
    (b"BI", 27),
    (b"BR", 29),
    (b"BY", 28),
    (b"CH", 21),
    (b"CR", 22),
    (b"CY", 28),
    (b"CZ", 24),
    (b"DE", 22),
    (b"DJ", 27),
    (b"DK", 18),
    (b"DO", 28),
    (b"EE", 20),
    (b"EG", 29),
    (b"ES", 24),
    (b"FI", 18),
    (b"FK", 18),
    (b"FO", 18),
    (b"FR", 27),
    (b"GB", 22),
    (b"GE", 22),
    (b"GI", 23),
    (b"GL", 18),
    (b"GR", 27),
    (b"GT", 28),
    (b"HN", 28),
    (b"HR", 21),
    (b"HU", 28),
    (b"IE", 22),
    (b"IL", 23),
    (b"IQ", 23),
    (b"IS", 26),
    (b"IT", 27),
    (b"JO", 30),
    (b"KW", 30),
    (b"KZ", 20),
    (b"LB", 28),
    (b"LC", 32),
    (b"LI", 21),
    (b"LT", 20),
    (b"LU", 20),
    (b"LV", 21),
    (b"LY", 25),
    (b"MC", 27),
    (b"MD", 24),
    (b"ME", 22),
    (b"MK", 19),
    (b"MN", 20),
    (b"MR", 27),
    (b"MT", 31),
    (b"MU", 30),
    (b"NI", 28),
    (b"NL", 18),
    (b"NO", 15),
    (b"OM", 23),
    (b"PK", 24),
    (b"PL", 28),
    (b"PS", 29),
    (b"PT", 25),
    (b"QA", 29),
    (b"RO", 24),
    (b"RS", 22),
    (b"RU", 33),
    (b"SA", 24),
    (b"SC", 31),
    (b"SD", 18),
    (b"SE", 24),
    (b"SI", 19),
    (b"SK", 24),
    (b"SM", 27),
    (b"SO", 23),
    (b"ST", 25),
    (b"SV", 28),
    (b"TL", 23),
    (b"TN", 24),
    (b"TR", 26),
    (b"UA", 29),
    (b"VA", 22),
    (b"VG", 24),
    (b"XK", 20),
    (b"YE", 30),
];

fn country_length(a: u8, b: u8) -> Option<usize> {
    let code = [a.to_ascii_uppercase(), b.to_ascii_uppercase()];
    LENGTHS.iter().find(|(c, _)| **c == code).map(|&(_, n)| n)
}

impl Detector for Iban {
    fn find_with(&self, text: &str, c: &mut dyn Candidates, out: &mut Vec<Range<usize>>) {
        let bytes = text.as_bytes();
        let mut pos = 0;
        while let Some(d) = c.next_digit(bytes, pos) {
            // Skip the rest of this digit run whatever happens.
            let run_end = digit_run_end(bytes, d);
            pos = run_end;
            // Country code: the two ASCII letters right before the first check digit.
            if d < 2 || run_end - d < 2 {
                continue;
            }
            let start = d - 2;
            if !(bytes[start].is_ascii_alphabetic() && bytes[start + 1].is_ascii_alphabetic()) {
                continue;
            }
            let Some(len) = country_length(bytes[start], bytes[start + 1]) else {
                continue;
            };
            if prev_char(text, start).is_some_and(is_word) {
                continue;
            }
            if let Some(end) = read_iban(bytes, start, len)
                && !next_char(text, end).is_some_and(is_word)
            {
                out.push(start..end);
                pos = end;
            }
        }
    }

    fn canonical(&self, matched: &str) -> String {
        matched
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .map(|c| c.to_ascii_uppercase())
            .collect()
    }

    fn message(&self) -> &'static str {
        "Possible bank account number (IBAN): {match}. Never post account details."
    }
}

/// Reads `len` alphanumerics from `start`, unbroken or in space-separated groups of four,
/// and returns the end if they pass the mod-97 check.
fn read_iban(bytes: &[u8], start: usize, len: usize) -> Option<usize> {
    let mut chars = [0u8; 34];
    let mut n = 0;
    let mut i = start;
    let mut spaced: Option<bool> = None;
    let mut after_space = false;
    while n < len {
        let b = *bytes.get(i)?;
        if b == b' ' {
            // A space may only follow a complete group of four, once.
            if n == 0 || !n.is_multiple_of(4) || after_space || spaced == Some(false) {
                return None;
            }
            spaced = Some(true);
            after_space = true;
            i += 1;
            continue;
        }
        if !b.is_ascii_alphanumeric() {
            return None;
        }
        if n > 0 && n.is_multiple_of(4) && !after_space {
            // Four characters passed without a space: the number must be unbroken.
            if spaced == Some(true) {
                return None;
            }
            spaced = Some(false);
        }
        chars[n] = b.to_ascii_uppercase();
        n += 1;
        i += 1;
        after_space = false;
    }
    let iban = &chars[..n];
    // Check digits are digits in 02..=98 (00, 01 and 99 are never issued).
    if !(iban[2].is_ascii_digit() && iban[3].is_ascii_digit()) {
        return None;
    }
    let check = (iban[2] - b'0') * 10 + (iban[3] - b'0');
    if !(2..=98).contains(&check) {
        return None;
    }
    (mod97(iban) == 1).then_some(i)
}

/// The IBAN read as a number (first four characters moved to the end, A = 10 ... Z = 35)
/// modulo 97.
fn mod97(iban: &[u8]) -> u32 {
    let (head, tail) = iban.split_at(4);
    tail.iter().chain(head).fold(0u32, |acc, &c| {
        if c.is_ascii_digit() {
            (acc * 10 + u32::from(c - b'0')) % 97
        } else {
            (acc * 100 + u32::from(c - b'A') + 10) % 97
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::scan::{assert_well_formed, matches};

    #[test]
    fn finds_ibans() {
        assert_eq!(
            matches(&Iban, "Pay to GB82 WEST 1234 5698 7654 32 today"),
            vec!["GB82 WEST 1234 5698 7654 32"]
        );
        assert_eq!(
            matches(&Iban, "IBAN: DE89370400440532013000."),
            vec!["DE89370400440532013000"]
        );
        assert_eq!(
            matches(
                &Iban,
                "fr: FR14 2004 1010 0505 0001 3M02 606, nl: NL91ABNA0417164300"
            ),
            vec!["FR14 2004 1010 0505 0001 3M02 606", "NL91ABNA0417164300"]
        );
        assert_eq!(
            matches(&Iban, "be BE68539007547034"),
            vec!["BE68539007547034"]
        );
        assert_eq!(
            matches(&Iban, "no NO9386011117947"),
            vec!["NO9386011117947"]
        );
        assert_eq!(
            matches(&Iban, "ch (CH9300762011623852957)"),
            vec!["CH9300762011623852957"]
        );
        assert_eq!(
            matches(&Iban, "lower gb82west12345698765432 ok"),
            vec!["gb82west12345698765432"]
        );
    }

    #[test]
    fn rejects_traps() {
        let none: Vec<&str> = Vec::new();
        assert_eq!(matches(&Iban, "GB82 WEST 1234 5698 7654 33"), none); // checksum
        assert_eq!(matches(&Iban, "DE8937040044053201300"), none); // too short
        assert_eq!(matches(&Iban, "DE893704004405320130001"), none); // too long
        assert_eq!(matches(&Iban, "ZZ82WEST12345698765432"), none); // unknown country
        assert_eq!(matches(&Iban, "XGB82WEST12345698765432"), none); // glued
        assert_eq!(matches(&Iban, "GB82 WEST12 345698765432"), none); // bad grouping
        assert_eq!(matches(&Iban, "GB82WEST 1234 5698 7654 32"), none); // mixed grouping
        assert_eq!(matches(&Iban, "we sold 12 units"), none);
    }

    #[test]
    fn canonical_is_upper_without_spaces() {
        assert_eq!(
            Iban.canonical("gb82 west 1234 5698 7654 32"),
            "GB82WEST12345698765432"
        );
    }

    #[test]
    fn awkward_input_never_panics() {
        let long_digits = "9".repeat(10_000);
        let many = "DE89 ".repeat(2_000);
        let inputs = [
            "",
            "DE",
            "DE8",
            "DE89 3704",
            "😀DE89370400440532013000😀",
            "é\u{301}DE89370400440532013000",
            "رقم DE89370400440532013000 شكرا",
            long_digits.as_str(),
            many.as_str(),
            "    ",
            "GB82 WEST 1234 5698 7654 3",
        ];
        assert_well_formed(&Iban, &inputs);
    }
}
