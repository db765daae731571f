//! Bank or customer account numbers introduced by an account word.
//!
//! A bare number has no checksum to validate, so a run of digits is reported only when
//! an account word ends within 25 bytes before it, with no line break, `!` or `?`
//! between them. The words (any case, as whole words): `account` / `accounts`, `acct` /
//! `accts`, `acc` and `a/c`, which also covers `account number`, `acc no.`, `Acct #`.
//!
//! The number is 6–17 ASCII digits, unbroken or in groups joined by single spaces or
//! hyphens (`12345678`, `1234 5678 90`, `000-123456-01`), not glued to a letter, digit
//! or `_`, and not joined by `-`, `.`, `,`, `/` or `:` to further digits. Dates
//! (`2024-01-15`, `15-01-2024`, `20240115`) and runs of years (`2023 2024`) are not
//! account numbers.

use std::ops::Range;

use super::scan::{Keywords, digit_run_end, free_after, free_before};
use super::{Candidates, Detector};

/// Finds account numbers that follow an account word.
pub(crate) struct AccountNumber;

/// Keywords (lowercase) and whether a trailing plural `s` is allowed, ending within 25
/// bytes.
static KEYWORDS: Keywords = Keywords::new(
    &[
        ("account", true),
        ("acct", true),
        ("acc", false),
        ("a/c", false),
    ],
    25,
    8,
);

const MAX_GROUPS: usize = 17;

impl Detector for AccountNumber {
    fn find_with(&self, text: &str, c: &mut dyn Candidates, out: &mut Vec<Range<usize>>) {
        let bytes = text.as_bytes();
        let mut pos = 0;
        while let Some(start) = c.next_digit(bytes, pos) {
            let mut lens = [0usize; MAX_GROUPS];
            let (end, groups, sep) = read_groups(bytes, start, &mut lens);
            pos = end;
            let Some(groups) = groups else {
                continue; // more than 17 digits
            };
            let digits: usize = lens[..groups].iter().sum();
            if (6..=17).contains(&digits)
                && !looks_like_date(bytes, start, &lens[..groups], sep)
                && free_before(text, start)
                && free_after(text, end)
                && keyword_before(bytes, start)
                && !is_quantity(text, start, end)
            {
                out.push(start..end);
            }
        }
    }

    fn canonical(&self, matched: &str) -> String {
        matched.chars().filter(char::is_ascii_digit).collect()
    }

    fn message(&self) -> &'static str {
        "Possible account number: {match}. Do not post account numbers."
    }
}

/// Words after a number that make it a count, not an identifier (social accounts have
/// followers; bank accounts have balances).
const UNITS: &[&str] = &[
    "followers",
    "follower",
    "likes",
    "views",
    "subscribers",
    "connections",
    "members",
    "people",
    "users",
    "customers",
    "impressions",
    "posts",
    "dollars",
    "euros",
    "pounds",
    "usd",
    "eur",
    "gbp",
    "points",
    "miles",
    "times",
    "percent",
];

/// Money (`$1000000`, `€ 250000`) or a count (`125000 followers`, `200000%`).
fn is_quantity(text: &str, start: usize, end: usize) -> bool {
    let before = text[..start].trim_end_matches(' ');
    if before.ends_with(['$', '€', '£', '¥']) {
        return true;
    }
    let after = text[end..].trim_start_matches(' ');
    if after.starts_with(['%', '$', '€', '£']) {
        return true;
    }
    let word: String = after
        .chars()
        .take_while(|c| c.is_ascii_alphabetic())
        .map(|c| c.to_ascii_lowercase())
        .collect();
    UNITS.contains(&word.as_str())
}

/// Reads digit groups joined by a single space or hyphen. Returns the end, the number of
/// groups (`None` if there are more than 17 digits) and the last separator.
fn read_groups(
    bytes: &[u8],
    start: usize,
    lens: &mut [usize; MAX_GROUPS],
) -> (usize, Option<usize>, u8) {
    let mut i = start;
    let mut n = 0;
    let mut digits = 0;
    let mut sep = 0;
    let mut too_long = false;
    loop {
        let gs = i;
        i = digit_run_end(bytes, i);
        digits += i - gs;
        if digits > 17 || n == MAX_GROUPS {
            too_long = true;
        } else {
            lens[n] = i - gs;
            n += 1;
        }
        match (bytes.get(i), bytes.get(i + 1)) {
            (Some(&s @ (b' ' | b'-')), Some(d)) if d.is_ascii_digit() => {
                sep = s;
                i += 1;
            }
            _ => break,
        }
    }
    (i, (!too_long).then_some(n), sep)
}

/// Dates and years: `YYYY-MM-DD`, `DD-MM-YYYY`, `YYYYMMDD`, or only four-digit years.
fn looks_like_date(bytes: &[u8], start: usize, lens: &[usize], sep: u8) -> bool {
    let num = |from: usize, len: usize| -> u32 {
        bytes
            .get(from..from + len)
            .unwrap_or_default()
            .iter()
            .fold(0, |acc, &b| acc * 10 + u32::from(b.wrapping_sub(b'0')))
    };
    let year = |y: u32| (1900..=2099).contains(&y);
    let month = |m: u32| (1..=12).contains(&m);
    let day = |d: u32| (1..=31).contains(&d);
    match lens {
        [8] => year(num(start, 4)) && month(num(start + 4, 2)) && day(num(start + 6, 2)),
        [4, 2, 2] if sep == b'-' => {
            year(num(start, 4)) && month(num(start + 5, 2)) && day(num(start + 8, 2))
        }
        [2, 2, 4] if sep == b'-' => {
            let (a, b) = (num(start, 2), num(start + 3, 2));
            year(num(start + 6, 4)) && ((day(a) && month(b)) || (month(a) && day(b)))
        }
        _ => lens.iter().all(|&l| l == 4) && (0..lens.len()).all(|k| year(num(start + k * 5, 4))),
    }
}

/// Whether an account word ends within the window before `start`, with no line break,
/// `!` or `?` after it.
fn keyword_before(bytes: &[u8], start: usize) -> bool {
    KEYWORDS.ends_before(bytes, start, |window, mut end, plural| {
        if plural && matches!(window.get(end), Some(b's' | b'S')) {
            end += 1;
        }
        let ok = !window.get(end).is_some_and(u8::is_ascii_alphabetic)
            && !window[end..]
                .iter()
                .any(|b| matches!(b, b'\n' | b'!' | b'?'));
        ok.then_some(end)
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::detectors::scan::{assert_well_formed, matches};

    #[test]
    fn finds_account_numbers() {
        assert_eq!(
            matches(&AccountNumber, "my account number is 12345678."),
            vec!["12345678"]
        );
        assert_eq!(
            matches(&AccountNumber, "Acct #: 000-123456-01"),
            vec!["000-123456-01"]
        );
        assert_eq!(
            matches(&AccountNumber, "A/C no. 1234 5678 90"),
            vec!["1234 5678 90"]
        );
        assert_eq!(matches(&AccountNumber, "acc no 987654"), vec!["987654"]);
        assert_eq!(
            matches(&AccountNumber, "ACCOUNTS: 123456, 7654321"),
            vec!["123456", "7654321"]
        );
        assert_eq!(
            matches(&AccountNumber, "Account ending in 12345678901234567"),
            vec!["12345678901234567"]
        );
    }

    #[test]
    fn rejects_traps() {
        let none: Vec<&str> = Vec::new();
        assert_eq!(matches(&AccountNumber, "account opened 2024-01-15"), none);
        assert_eq!(matches(&AccountNumber, "account 15-01-2024"), none);
        assert_eq!(matches(&AccountNumber, "account since 20240115"), none);
        assert_eq!(matches(&AccountNumber, "account since 2023 2024"), none);
        assert_eq!(matches(&AccountNumber, "account 12345"), none); // too short
        assert_eq!(matches(&AccountNumber, "account 123456789012345678"), none); // too long
        assert_eq!(matches(&AccountNumber, "12345678"), none); // no keyword
        assert_eq!(matches(&AccountNumber, "accountant 12345678"), none);
        assert_eq!(matches(&AccountNumber, "according to 12345678"), none);
        assert_eq!(matches(&AccountNumber, "account: AB12345678"), none);
        assert_eq!(
            matches(&AccountNumber, "Account balance hit $1000000 today"),
            none
        );
        assert_eq!(
            matches(&AccountNumber, "this account has 125000 followers"),
            none
        );
        assert_eq!(matches(&AccountNumber, "account up 250000 %"), none);
        assert_eq!(matches(&AccountNumber, "account 1,234,567"), none);
        assert_eq!(matches(&AccountNumber, "my account!\n12345678"), none);
        assert_eq!(
            matches(
                &AccountNumber,
                "the account team wrote a long note about 12345678"
            ),
            none
        );
    }

    #[test]
    fn canonical_keeps_digits() {
        assert_eq!(AccountNumber.canonical("000-123456 01"), "00012345601");
    }

    #[test]
    fn awkward_input_never_panics() {
        let long_digits = format!("account {}", "7".repeat(10_000));
        let groups = format!("acct {}", "1 ".repeat(5_000));
        let inputs = [
            "",
            "account",
            "account 12345",
            "account 123456-",
            "🏦 account 12345678 🏦",
            "e\u{301} acct 12345678\u{301}",
            "الحساب account 12345678 شكرا",
            "a/c",
            long_digits.as_str(),
            groups.as_str(),
            "- - - -",
        ];
        assert_well_formed(&AccountNumber, &inputs);
    }
}
