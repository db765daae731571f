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

use super::Detector;

/// Finds ABA routing numbers introduced by a routing keyword.
pub(crate) struct AbaRouting;

/// Keywords (lowercase) and whether a letter may not follow them (short ones like `aba`
/// must be whole words, so `abacus` does not count).
const KEYWORDS: &[(&str, bool)] = &[
    ("routing", false),
    ("aba", true),
    ("rtn", true),
    ("transit", false),
];

const KEYWORD_WINDOW: usize = 40;
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

impl Detector for AbaRouting {
    fn find(&self, text: &str, out: &mut Vec<Range<usize>>) {
        let bytes = text.as_bytes();
        let mut pos = 0;
        while let Some(start) = next_digit(bytes, pos) {
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
    let from = start.saturating_sub(KEYWORD_WINDOW + 8);
    let window = &bytes[from..start];
    (0..window.len()).any(|i| {
        if !KEYWORD_FIRST[usize::from(window[i])] {
            return false;
        }
        let first = window[i].to_ascii_lowercase();
        KEYWORDS.iter().any(|&(kw, whole_word)| {
            let kw = kw.as_bytes();
            let end = i + kw.len();
            first == kw[0]
                && end <= window.len()
                && window[i..end].eq_ignore_ascii_case(kw)
                && from + end + KEYWORD_WINDOW >= start
                && (i == 0 || !window[i - 1].is_ascii_alphabetic())
                && (!whole_word || !window.get(end).is_some_and(u8::is_ascii_alphabetic))
        })
    })
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
        AbaRouting.find(text, &mut out);
        out.iter().map(|r| &text[r.clone()]).collect()
    }

    #[test]
    fn finds_routing_numbers() {
        assert_eq!(matches("routing number 021000021"), vec!["021000021"]);
        assert_eq!(matches("ABA: 011000015."), vec!["011000015"]);
        assert_eq!(matches("RTN#322271627"), vec!["322271627"]);
        assert_eq!(
            matches("Wire via transit no. 121000358, acct below"),
            vec!["121000358"]
        );
        assert_eq!(
            matches("Routing numbers: 021000021 and 011000015"),
            vec!["021000021", "011000015"]
        );
    }

    #[test]
    fn rejects_traps() {
        let none: Vec<&str> = Vec::new();
        assert_eq!(matches("routing 123456789"), none); // checksum
        assert_eq!(matches("021000021"), none); // no keyword
        assert_eq!(matches("routing 991000021"), none); // prefix 99
        assert_eq!(matches("routing 000000000"), none);
        assert_eq!(matches("routing 0210000210"), none); // ten digits
        assert_eq!(matches("routing 021-000021"), none);
        assert_eq!(matches("abacus 021000021"), none);
        assert_eq!(
            matches("the routing table was updated a long long time ago; ticket 021000021"),
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
        for text in inputs {
            let mut out = Vec::new();
            AbaRouting.find(text, &mut out);
            let mut last = 0;
            for r in &out {
                assert!(r.start >= last && r.start < r.end && r.end <= text.len());
                assert!(text.is_char_boundary(r.start) && text.is_char_boundary(r.end));
                last = r.end;
            }
        }
    }
}
