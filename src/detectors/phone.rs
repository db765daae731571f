//! Telephone numbers.
//!
//! Two families are detected:
//!
//! * **NANP** (US, Canada, ...): area code, exchange and line `AAA EEE LLLL`, written
//!   `(212) 555-0187`, `(212)555-0187`, `212-555-0187`, `212.555.0187` or
//!   `212 555 0187`, optionally after a country code `1` / `+1` (`1-800-555-0100`,
//!   `+1 212 555 0187`, `+1 (212) 555-0187`, `+12125550187`). The area code and the
//!   exchange must start with 2–9, and dots, if used, are used for both separators.
//!   Ten unbroken digits (`2125550187`) count only after a phone word (`call`, `phone`,
//!   `tel`, `cell`, `mobile`, `text`, `fax`, `whatsapp`, `contact`, `reach`) within
//!   30 bytes.
//! * **International** with an explicit `+` and a country code not starting with 0:
//!   `+44 20 7946 0958`, `+49 30 901820`, `+44 (0)20 7946 0958`, `+4915112345678`;
//!   digit groups joined by single spaces, hyphens or dots, 8 to 15 digits in all (a
//!   `(0)` trunk prefix is not counted). `+1` numbers must be valid NANP numbers.
//!
//! Not phones: dates (`2026-11-23`, `11/23/2026`), times, versions, IP addresses, money
//! (`$1,234,567`), long numbers without phone grouping (`20261123`), numbers glued to a
//! letter, digit or `_`, or joined by `-`, `.`, `,`, `/` or `:` to further digits, numbers
//! right after `#`, and (without `+`) numbers introduced by a reference word such as
//! `order`, `ref`, `invoice`, `ticket`, `case`, `claim`, `policy` or `tracking`,
//! optionally followed by `no`/`number`/`#`/`:` (`Order no. 212-555-0187`).

use std::ops::Range;

use super::scan::{self, Keywords, digit_run_end, free_after, is_word, prev_char};
use super::{Candidates, Detector};

/// Finds NANP and international telephone numbers.
pub(crate) struct Phone;

/// Words that make the number after them a reference, not a phone number.
const REFERENCE_WORDS: &[&str] = &[
    "order",
    "ref",
    "reference",
    "invoice",
    "inv",
    "ticket",
    "case",
    "claim",
    "policy",
    "confirmation",
    "conf",
    "tracking",
    "po",
    "serial",
    "sku",
    "transaction",
    "txn",
    "booking",
    "reservation",
    "receipt",
    "item",
    "id",
    "account",
    "acct",
    "member",
    "loan",
    "contract",
];

/// Words that may stand between a reference word and its number.
const FILLER_WORDS: &[&str] = &["no", "nr", "num", "number", "is"];

/// Words that make ten unbroken digits a phone number when one starts a word within 30
/// bytes before them (the flags are unused).
static PHONE_WORDS: Keywords = Keywords::new(
    &[
        ("call", false),
        ("phone", false),
        ("tel", false),
        ("cell", false),
        ("mobile", false),
        ("text", false),
        ("fax", false),
        ("whatsapp", false),
        ("contact", false),
        ("reach", false),
    ],
    30,
    0,
);

const MAX_GROUPS: usize = 10;

#[derive(Clone, Copy, Default)]
struct Group {
    /// The digits (without parentheses).
    start: usize,
    end: usize,
    /// Written as `(digits)`.
    paren: bool,
    /// The separator before this group: `b' '`, `b'-'`, `b'.'`, or 0 for none.
    sep: u8,
}

impl Group {
    fn len(&self) -> usize {
        self.end - self.start
    }

    /// Where the group ends in the text, including a closing parenthesis.
    fn text_end(&self) -> usize {
        self.end + usize::from(self.paren)
    }
}

/// Up to `MAX_GROUPS` digit groups starting at some position.
struct Groups {
    plus: bool,
    items: [Group; MAX_GROUPS],
    n: usize,
    /// More groups follow than `items` holds.
    truncated: bool,
}

impl Detector for Phone {
    fn find_with(&self, text: &str, c: &mut dyn Candidates, out: &mut Vec<Range<usize>>) {
        let bytes = text.as_bytes();
        let mut pos = 0;
        while let Some(s) = c.next_digit(bytes, pos) {
            let run_end = digit_run_end(bytes, s);
            let mut c = s;
            if s > pos && matches!(bytes[s - 1], b'+' | b'(') {
                c = s - 1;
            }
            // A phone number starts with `+`, `(`, a country code `1`, an area code or
            // ten or eleven unbroken digits; skip other runs without parsing.
            let plausible = c < s || matches!(run_end - s, 1 | 3 | 10 | 11);
            let found = if plausible { match_at(text, c) } else { None };
            match found {
                Some(end) => {
                    out.push(c..end);
                    pos = end;
                }
                None => pos = run_end,
            }
        }
    }

    fn canonical(&self, matched: &str) -> String {
        let trimmed;
        let matched = if matched.starts_with('+') {
            trimmed = matched.replace("(0)", "");
            trimmed.as_str()
        } else {
            matched
        };
        let digits: String = matched.chars().filter(char::is_ascii_digit).collect();
        match digits.strip_prefix('1') {
            Some(rest) if digits.len() == 11 => rest.to_string(),
            _ => digits,
        }
    }

    fn message(&self) -> &'static str {
        "Possible phone number: {match}. Do not post personal or customer phone numbers."
    }
}

/// The end of a phone number starting at `c` (a digit, `+` or `(`), if there is one.
fn match_at(text: &str, c: usize) -> Option<usize> {
    let bytes = text.as_bytes();
    let groups = parse(bytes, c);
    let g = &groups.items[..groups.n];
    let first = *g.first()?;
    let before = text.get(..c)?.chars().next_back();
    if before == Some('#') {
        return None;
    }
    let k = if groups.plus {
        if before.is_some_and(is_word) {
            return None;
        }
        if bytes[first.start] == b'1' {
            nanp(bytes, &groups)?
        } else {
            // Every group must belong to the number: no longer run of digit groups.
            let k = international(bytes, g)?;
            if k < g.len() || groups.truncated {
                return None;
            }
            k
        }
    } else {
        if !free_before(text, c) {
            return None;
        }
        let k = match nanp(bytes, &groups) {
            Some(k) => k,
            None => bare(bytes, first, c)?,
        };
        if reference_before(bytes, c) {
            return None;
        }
        k
    };
    // A further group joined by something other than a space makes a longer number.
    if g.get(k).is_some_and(|next| next.sep != b' ') {
        return None;
    }
    let end = g[k - 1].text_end();
    free_after(text, end).then_some(end)
}

/// Reads digit groups from `c`: an optional `+`, then groups of digits or `(digits)`
/// joined by a single space, hyphen or dot (or nothing, next to a parenthesis).
fn parse(bytes: &[u8], c: usize) -> Groups {
    let mut groups = Groups {
        plus: bytes.get(c) == Some(&b'+'),
        items: [Group::default(); MAX_GROUPS],
        n: 0,
        truncated: false,
    };
    let mut i = c + usize::from(groups.plus);
    let mut sep = 0;
    loop {
        if groups.n == MAX_GROUPS {
            groups.truncated = true;
            break;
        }
        let group = if bytes.get(i) == Some(&b'(') {
            let start = i + 1;
            let end = digit_run_end(bytes, start);
            if end == start || end - start > 4 || bytes.get(end) != Some(&b')') {
                break;
            }
            i = end + 1;
            Group {
                start,
                end,
                paren: true,
                sep,
            }
        } else if bytes.get(i).is_some_and(u8::is_ascii_digit) {
            let end = digit_run_end(bytes, i);
            let start = i;
            i = end;
            Group {
                start,
                end,
                paren: false,
                sep,
            }
        } else {
            break;
        };
        groups.items[groups.n] = group;
        groups.n += 1;
        match bytes.get(i) {
            Some(&s @ (b' ' | b'-' | b'.'))
                if bytes
                    .get(i + 1)
                    .is_some_and(|&b| b.is_ascii_digit() || b == b'(') =>
            {
                sep = s;
                i += 1;
            }
            Some(b'(') => sep = 0,
            Some(b) if b.is_ascii_digit() && group.paren => sep = 0,
            _ => break,
        }
    }
    groups
}

/// How many groups form a NANP number: `[1] AAA EEE LLLL`, or `+1AAAEEELLLL`.
fn nanp(bytes: &[u8], groups: &Groups) -> Option<usize> {
    let g = &groups.items[..groups.n];
    let first = *g.first()?;
    let digit = |i: usize| bytes.get(i).copied().unwrap_or(b'0');
    let leads_ok = |b: u8| (b'2'..=b'9').contains(&b);
    if groups.plus && first.len() == 11 && !first.paren && digit(first.start) == b'1' {
        let ok = leads_ok(digit(first.start + 1)) && leads_ok(digit(first.start + 4));
        return ok.then_some(1);
    }
    let k = usize::from(first.len() == 1 && !first.paren && digit(first.start) == b'1');
    if groups.plus && k == 0 {
        return None;
    }
    let (area, exch, line) = (*g.get(k)?, *g.get(k + 1)?, *g.get(k + 2)?);
    if area.len() != 3 || exch.len() != 3 || line.len() != 4 || exch.paren || line.paren {
        return None;
    }
    if k == 1 && area.sep == 0 && !area.paren {
        return None;
    }
    let (s1, s2) = (exch.sep, line.sep);
    let s1_ok = if area.paren {
        matches!(s1, 0 | b' ' | b'-')
    } else {
        matches!(s1, b' ' | b'-' | b'.')
    };
    let s2_ok = matches!(s2, b' ' | b'-' | b'.');
    let dots_ok = (s1 == b'.') == (s2 == b'.');
    let ok =
        s1_ok && s2_ok && dots_ok && leads_ok(digit(area.start)) && leads_ok(digit(exch.start));
    ok.then_some(k + 3)
}

/// How many groups form an international `+` number of 8–15 digits.
fn international(bytes: &[u8], g: &[Group]) -> Option<usize> {
    let first = *g.first()?;
    if first.paren || bytes.get(first.start) == Some(&b'0') {
        return None;
    }
    let mut total = 0;
    let mut k = 0;
    for group in g {
        let trunk = group.paren && bytes.get(group.start..group.end) == Some(b"0".as_slice());
        let add = if trunk { 0 } else { group.len() };
        if total + add > 15 {
            break;
        }
        total += add;
        k += 1;
    }
    (total >= 8 && k > 0 && !g[k - 1].paren).then_some(k)
}

/// Ten unbroken NANP digits (or eleven starting with 1) after a phone word.
fn bare(bytes: &[u8], first: Group, c: usize) -> Option<usize> {
    if first.paren {
        return None;
    }
    let digits = bytes.get(first.start..first.end)?;
    let local = match digits.len() {
        10 => digits,
        11 if digits[0] == b'1' => &digits[1..],
        _ => return None,
    };
    let leads_ok = |b: u8| (b'2'..=b'9').contains(&b);
    let ok = leads_ok(local[0]) && leads_ok(local[3]) && phone_word_before(bytes, c);
    ok.then_some(1)
}

/// Whether a phone word starts a word within 30 bytes before `c` (it may end anywhere
/// before `c`).
fn phone_word_before(bytes: &[u8], c: usize) -> bool {
    PHONE_WORDS.ends_before(bytes, c, |_, end, _| Some(end))
}

/// Whether the number at `c` is introduced by a reference word (`order`, `ref`, ...),
/// possibly followed by a filler (`no`, `number`) and `#`, `:`, `.`, `-` or spaces.
fn reference_before(bytes: &[u8], c: usize) -> bool {
    let lo = c.saturating_sub(40);
    let mut i = c;
    for _ in 0..2 {
        while i > lo && matches!(bytes[i - 1], b' ' | b':' | b'#' | b'.' | b'-' | b'\t') {
            i -= 1;
        }
        let end = i;
        while i > lo && bytes[i - 1].is_ascii_alphabetic() {
            i -= 1;
        }
        let word = &bytes[i..end];
        if word.is_empty() {
            return false;
        }
        if REFERENCE_WORDS
            .iter()
            .any(|w| word.eq_ignore_ascii_case(w.as_bytes()))
        {
            return true;
        }
        if !FILLER_WORDS
            .iter()
            .any(|w| word.eq_ignore_ascii_case(w.as_bytes()))
        {
            return false;
        }
    }
    false
}

/// Nothing glued to the number on its left: [`scan::free_before`], and no money sign or
/// `+` right before it either.
fn free_before(text: &str, i: usize) -> bool {
    !prev_char(text, i).is_some_and(|c| matches!(c, '$' | '€' | '£' | '¥' | '+'))
        && scan::free_before(text, i)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::scan::{assert_well_formed, matches};

    #[test]
    fn finds_nanp_numbers() {
        assert_eq!(
            matches(&Phone, "Call (212) 555-0187 now"),
            vec!["(212) 555-0187"]
        );
        assert_eq!(matches(&Phone, "call 212-555-0187."), vec!["212-555-0187"]);
        assert_eq!(matches(&Phone, "212.555.0187"), vec!["212.555.0187"]);
        assert_eq!(matches(&Phone, "at 212 555 0187, ok"), vec!["212 555 0187"]);
        assert_eq!(
            matches(&Phone, "Call +1 212 555 0187"),
            vec!["+1 212 555 0187"]
        );
        assert_eq!(
            matches(&Phone, "toll-free 1-800-555-0100!"),
            vec!["1-800-555-0100"]
        );
        assert_eq!(
            matches(&Phone, "+1 (212) 555-0187"),
            vec!["+1 (212) 555-0187"]
        );
        assert_eq!(matches(&Phone, "(212)555-0187"), vec!["(212)555-0187"]);
        assert_eq!(matches(&Phone, "tel:+12125550187"), vec!["+12125550187"]);
        assert_eq!(matches(&Phone, "text me at 2125550187"), vec!["2125550187"]);
    }

    #[test]
    fn finds_international_numbers() {
        assert_eq!(
            matches(&Phone, "London +44 20 7946 0958."),
            vec!["+44 20 7946 0958"]
        );
        assert_eq!(
            matches(&Phone, "Berlin: +49 30 901820"),
            vec!["+49 30 901820"]
        );
        assert_eq!(
            matches(&Phone, "UK +44 (0)20 7946 0958 or +4915112345678"),
            vec!["+44 (0)20 7946 0958", "+4915112345678"]
        );
        assert_eq!(
            matches(&Phone, "+33 1 23 45 67 89"),
            vec!["+33 1 23 45 67 89"]
        );
        assert_eq!(matches(&Phone, "+91-98765-43210"), vec!["+91-98765-43210"]);
    }

    #[test]
    fn rejects_traps() {
        let none: Vec<&str> = Vec::new();
        assert_eq!(
            matches(&Phone, "due 2026-11-23 or 11/23/2026 at 10:30"),
            none
        );
        assert_eq!(matches(&Phone, "version 1.2.3 and v2.10.1"), none);
        assert_eq!(matches(&Phone, "Order #123-456-7890"), none);
        assert_eq!(matches(&Phone, "Order #212-555-0187"), none);
        assert_eq!(matches(&Phone, "Order no. 212-555-0187"), none);
        assert_eq!(matches(&Phone, "Claim number: 212 555 0187"), none);
        assert_eq!(matches(&Phone, "ref 212-555-0187"), none);
        assert_eq!(matches(&Phone, "raised $1,234,567 in 20261123"), none);
        assert_eq!(
            matches(&Phone, "server 192.168.100.200 and 10.212.555.0187"),
            none
        );
        assert_eq!(matches(&Phone, "id ABC212-555-0187"), none);
        assert_eq!(matches(&Phone, "212-555-0187-99"), none);
        assert_eq!(matches(&Phone, "2125550187"), none); // no phone word
        assert_eq!(matches(&Phone, "(112) 555-0187 and 212-155-0187"), none);
        assert_eq!(matches(&Phone, "212.555-0187"), none);
        assert_eq!(matches(&Phone, "+1 112 555 0187"), none);
        assert_eq!(matches(&Phone, "+0 20 7946 0958"), none);
        assert_eq!(matches(&Phone, "3+44 20 7946 0958"), none);
        assert_eq!(matches(&Phone, "+44 20 79"), none); // too short
        assert_eq!(matches(&Phone, "+44 2079 4609 5812 3456"), none); // too long
        assert_eq!(matches(&Phone, "+2 3 4 5 6 7 8 9 1 2 3 4"), none);
        assert_eq!(matches(&Phone, "up +5% to 1,234"), none);
    }

    #[test]
    fn canonical_is_digits_without_us_country_code() {
        assert_eq!(Phone.canonical("(800) 555-0100"), "8005550100");
        assert_eq!(Phone.canonical("1-800-555-0100"), "8005550100");
        assert_eq!(Phone.canonical("+1 800 555 0100"), "8005550100");
        assert_eq!(Phone.canonical("+44 (0)20 7946 0958"), "442079460958");
    }

    #[test]
    fn awkward_input_never_panics() {
        let long_digits = "2".repeat(10_000);
        let groups = "212 ".repeat(2_500);
        let parens = "(".repeat(5_000);
        let pluses = "+1 (".repeat(2_000);
        let inputs = [
            "",
            "+",
            "(",
            "+1 (",
            "(212",
            "(212)",
            "+1 212 555 018",
            "📞212-555-0187📞",
            "e\u{301}212-555-0187\u{301}",
            "اتصل بي 212-555-0187 شكرا",
            long_digits.as_str(),
            groups.as_str(),
            parens.as_str(),
            pluses.as_str(),
            " - . ( ) + ",
        ];
        assert_well_formed(&Phone, &inputs);
    }
}
