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

use super::Detector;

/// Finds account numbers that follow an account word.
pub(crate) struct AccountNumber;

/// Keywords (lowercase) and whether a trailing plural `s` is allowed.
const KEYWORDS: &[(&str, bool)] = &[
    ("account", true),
    ("acct", true),
    ("acc", false),
    ("a/c", false),
];

const KEYWORD_WINDOW: usize = 25;
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

const MAX_GROUPS: usize = 17;

impl Detector for AccountNumber {
    fn find(&self, text: &str, out: &mut Vec<Range<usize>>) {
        let bytes = text.as_bytes();
        let mut pos = 0;
        while let Some(start) = next_digit(bytes, pos) {
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
        while i < bytes.len() && bytes[i].is_ascii_digit() {
            i += 1;
        }
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

/// Whether an account word ends within the window before `start`.
fn keyword_before(bytes: &[u8], start: usize) -> bool {
    let from = start.saturating_sub(KEYWORD_WINDOW + 8);
    let window = &bytes[from..start];
    (0..window.len()).any(|i| {
        if !KEYWORD_FIRST[usize::from(window[i])] {
            return false;
        }
        let first = window[i].to_ascii_lowercase();
        KEYWORDS.iter().any(|&(kw, plural)| {
            let kw = kw.as_bytes();
            let mut end = i + kw.len();
            if first != kw[0]
                || end > window.len()
                || !window[i..end].eq_ignore_ascii_case(kw)
                || (i > 0 && window[i - 1].is_ascii_alphabetic())
            {
                return false;
            }
            if plural && matches!(window.get(end), Some(b's' | b'S')) {
                end += 1;
            }
            !window.get(end).is_some_and(u8::is_ascii_alphabetic)
                && from + end + KEYWORD_WINDOW >= start
                && !window[end..]
                    .iter()
                    .any(|b| matches!(b, b'\n' | b'!' | b'?'))
        })
    })
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
        AccountNumber.find(text, &mut out);
        out.iter().map(|r| &text[r.clone()]).collect()
    }

    #[test]
    fn finds_account_numbers() {
        assert_eq!(matches("my account number is 12345678."), vec!["12345678"]);
        assert_eq!(matches("Acct #: 000-123456-01"), vec!["000-123456-01"]);
        assert_eq!(matches("A/C no. 1234 5678 90"), vec!["1234 5678 90"]);
        assert_eq!(matches("acc no 987654"), vec!["987654"]);
        assert_eq!(
            matches("ACCOUNTS: 123456, 7654321"),
            vec!["123456", "7654321"]
        );
        assert_eq!(
            matches("Account ending in 12345678901234567"),
            vec!["12345678901234567"]
        );
    }

    #[test]
    fn rejects_traps() {
        let none: Vec<&str> = Vec::new();
        assert_eq!(matches("account opened 2024-01-15"), none);
        assert_eq!(matches("account 15-01-2024"), none);
        assert_eq!(matches("account since 20240115"), none);
        assert_eq!(matches("account since 2023 2024"), none);
        assert_eq!(matches("account 12345"), none); // too short
        assert_eq!(matches("account 123456789012345678"), none); // too long
        assert_eq!(matches("12345678"), none); // no keyword
        assert_eq!(matches("accountant 12345678"), none);
        assert_eq!(matches("according to 12345678"), none);
        assert_eq!(matches("account: AB12345678"), none);
        assert_eq!(matches("Account balance hit $1000000 today"), none);
        assert_eq!(matches("this account has 125000 followers"), none);
        assert_eq!(matches("account up 250000 %"), none);
        assert_eq!(matches("account 1,234,567"), none);
        assert_eq!(matches("my account!\n12345678"), none);
        assert_eq!(
            matches("the account team wrote a long note about 12345678"),
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
        for text in inputs {
            let mut out = Vec::new();
            AccountNumber.find(text, &mut out);
            let mut last = 0;
            for r in &out {
                assert!(r.start >= last && r.start < r.end && r.end <= text.len());
                assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
                last = r.end;
            }
        }
    }
}
